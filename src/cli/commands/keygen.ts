import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { OperatorKey } from '../../bridge/index.js';
import { type Command, EXIT_OK, EXIT_RUNTIME, UsageError } from '../command.js';

const HELP = `Usage: shieldlink keygen --operator ID --out FILE [--key-id ID] [--force]

Make an operator key file for signing commands (shieldlink cmd --key FILE) and for the node's
keyring: 32 random bytes, written as JSON { v, keyId, operator, secret } with mode 0600. The
secret is never printed. The node needs a copy of every operator's key file (HMAC keys are
shared secrets): install it with mode 0600 and point the bridge's keyring at it.

Options:
  --operator ID   the person (two-operator rules count operators, not keys)
  --key-id ID     default <operator>-<6 hex digits>
  --out FILE      where to write (refuses to overwrite unless --force)

Exit codes: 0 written, 2 bad option, 3 cannot write (e.g. the file exists).`;

export const keygenCommand: Command = {
  path: ['keygen'],
  summary: 'make an operator key file (0600) for signing commands',
  help: HELP,
  async run(args, io) {
    let values;
    try {
      values = parseArgs({
        args,
        options: {
          operator: { type: 'string' },
          'key-id': { type: 'string' },
          out: { type: 'string' },
          force: { type: 'boolean' },
        },
      }).values;
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (values.operator === undefined || values.out === undefined)
      throw new UsageError('--operator and --out are required');
    let key: OperatorKey;
    try {
      key = OperatorKey.generate(
        values['key-id'] ?? `${values.operator}-${randomBytes(3).toString('hex')}`,
        values.operator,
      );
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    let handle;
    try {
      handle = await open(values.out, values.force ? 'w' : 'wx', 0o600);
    } catch (error) {
      io.stderr.write(`shieldlink keygen: cannot write ${values.out} (${(error as NodeJS.ErrnoException).code})\n`);
      return EXIT_RUNTIME;
    }
    try {
      await handle.chmod(0o600);
      await handle.writeFile(key.toKeyFileText());
    } finally {
      await handle.close();
    }
    io.stdout.write(`wrote ${values.out} (key id ${key.keyId}, operator ${key.operator}, mode 0600)\n`);
    return EXIT_OK;
  },
};
