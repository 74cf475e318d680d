import { randomBytes } from 'node:crypto';
import { BridgeError, NodeKey, OperatorKey } from '../../bridge/index.js';
import { parseCommandArgs } from '../command-args.js';
import { type Command, type CommandIo, EXIT_OK, EXIT_RUNTIME, UsageError } from '../command.js';

const HELP = `Usage: shieldlink keygen --operator ID --out FILE [--key-id ID] [--force]
       shieldlink keygen --operator ID --out FILE --legacy-hmac [--key-id ID] [--force]
       shieldlink keygen --node ID --out FILE [--force]

With --operator: make an operator's Ed25519 key pair for signing commands. FILE (mode 0600,
e.g. alice.key.json) is the operator's private key: it stays with the operator (shieldlink cmd
--key FILE, or loaded into the display). Beside it goes FILE with .key.json replaced by
.pub.json (e.g. alice.pub.json): the public key, the only file a node needs (copy it into the
node's auth.keysDir). A node holding only public keys cannot forge an operator's command.
Private key material is never printed.

With --legacy-hmac: make a legacy HMAC-SHA256 key instead (32 random bytes, JSON { v, kind,
keyId, operator, secret }, mode 0600). Legacy: the secret is shared, so the node (and anyone
holding a copy) can sign as that operator; a node accepts it only with auth.legacyHmac: true.

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
  --legacy-hmac   with --operator: a legacy HMAC shared secret instead of an Ed25519 key pair
  --out FILE      where to write (refuses to overwrite unless --force)

Exit codes: 0 written, 2 bad option, 3 cannot write (e.g. the file exists).`;

export const keygenCommand: Command = {
  path: ['keygen'],
  summary: 'make an operator or node (--node) Ed25519 key pair: private file 0600, .pub.json beside it',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      operator: { type: 'string' },
      node: { type: 'string' },
      'key-id': { type: 'string' },
      'legacy-hmac': { type: 'boolean' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    });
    if (positionals.length > 0)
      throw new UsageError(`Unexpected argument '${positionals[0]}'. This command does not take positional arguments`);
    if (values.node !== undefined) {
      if (values.operator !== undefined || values['key-id'] !== undefined || values['legacy-hmac'] === true)
        throw new UsageError('--node excludes --operator, --key-id and --legacy-hmac');
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
        return cannotWrite(io, values.out, error);
      }
    }
    if (values.operator === undefined || values.out === undefined)
      throw new UsageError('--operator and --out are required');
    let key: OperatorKey;
    try {
      const keyId = values['key-id'] ?? `${values.operator}-${randomBytes(3).toString('hex')}`;
      key =
        values['legacy-hmac'] === true
          ? OperatorKey.generateLegacyHmac(keyId, values.operator)
          : OperatorKey.generate(keyId, values.operator);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    try {
      const pub = await key.write(values.out, values.force === true);
      io.stdout.write(
        pub === null
          ? `wrote ${values.out} (legacy HMAC key, key id ${key.keyId}, operator ${key.operator}, mode 0600)\n`
          : `wrote ${values.out} (Ed25519 private key, key id ${key.keyId}, operator ${key.operator}, mode 0600) and ${pub} (public key: install it on the node)\n`,
      );
      return EXIT_OK;
    } catch (error) {
      return cannotWrite(io, values.out, error);
    }
  },
};

function cannotWrite(io: CommandIo, file: string, error: unknown): number {
  const code = error instanceof BridgeError ? error.message : (error as NodeJS.ErrnoException).code;
  io.stderr.write(`shieldlink keygen: cannot write ${file} (${code})\n`);
  return EXIT_RUNTIME;
}
