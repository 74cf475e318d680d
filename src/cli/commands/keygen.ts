import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BridgeError, NodeKey, OperatorKey } from '../../bridge/index.js';
import { type Command, EXIT_OK, EXIT_RUNTIME, UsageError } from '../command.js';

const HELP = `Usage: shieldlink keygen --operator ID --out FILE [--key-id ID] [--force]
       shieldlink keygen --node ID --out FILE [--force]

Make an operator key file for signing commands (shieldlink cmd --key FILE) and for the node's
keyring: 32 random bytes, written as JSON { v, keyId, operator, secret } with mode 0600. The
secret is never printed. The node needs a copy of every operator's key file (HMAC keys are
shared secrets): install it with mode 0600 and point the bridge's keyring at it.

With --node: make a node's Ed25519 key pair. FILE (mode 0600, e.g. bench-1.node.key.json) is
the node's private key: it signs the node's status, device states and command results (and
what partners will verify later). Beside it goes FILE with .key.json replaced by .pub.json
(e.g. bench-1.node.pub.json): the public key, the one file operators (shieldlink cmd
--node-key), displays and partner nodes need. shieldlink run makes one by itself at the first
start (<output dir>/keys/<node>.node.key.json); make it yourself to install it there first.

Options:
  --operator ID   the person (two-operator rules count operators, not keys)
  --node ID       make a node key pair instead (the node id it signs for)
  --key-id ID     default <operator>-<6 hex digits>
  --out FILE      where to write (refuses to overwrite unless --force)

Exit codes: 0 written, 2 bad option, 3 cannot write (e.g. the file exists).`;

export const keygenCommand: Command = {
  path: ['keygen'],
  summary: 'make an operator key file, or a node key pair (--node), mode 0600',
  help: HELP,
  async run(args, io) {
    let values;
    try {
      values = parseArgs({
        args,
        options: {
          operator: { type: 'string' },
          node: { type: 'string' },
          'key-id': { type: 'string' },
          out: { type: 'string' },
          force: { type: 'boolean' },
        },
      }).values;
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (values.node !== undefined) {
      if (values.operator !== undefined || values['key-id'] !== undefined)
        throw new UsageError('--node excludes --operator and --key-id');
      if (values.out === undefined) throw new UsageError('--out is required');
      let nodeKey: NodeKey;
      try {
        nodeKey = NodeKey.generate(values.node);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      try {
        const pub = await nodeKey.write(values.out, values.force === true);
        io.stdout.write(
          `wrote ${values.out} (node ${nodeKey.nodeId}, key id ${nodeKey.keyId}, mode 0600) and ${pub} (public key)\n`,
        );
        return EXIT_OK;
      } catch (error) {
        const code = error instanceof BridgeError ? error.message : (error as NodeJS.ErrnoException).code;
        io.stderr.write(`shieldlink keygen: cannot write ${values.out} (${code})\n`);
        return EXIT_RUNTIME;
      }
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
