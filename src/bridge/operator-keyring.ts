import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { BridgeError } from './bridge-error.js';
import {
  KeyFileError,
  keyKindOf,
  loadSecretKeyJson,
  parseKeyFile,
  parseKeyJson,
  readKeyFile,
  refuseOpenPermissions,
  refuseWrongKind,
} from './key-file.js';
import { OperatorKey } from './operator-key.js';
import {
  HmacOperatorKey,
  operatorHmacKeyFile,
  OperatorPublicKey,
  type OperatorVerifier,
} from './operator-public-key.js';

/**
 * Environment variable holding keyring entries, comma-separated: `keyId:operator:publicKey`
 * (Ed25519, raw public key base64url) or, legacy, `keyId:operator:secretHex` (HMAC).
 */
export const OPERATOR_KEYS_ENV = 'SHIELDLINK_OPERATOR_KEYS';

export interface KeyringSources {
  /** Operator public key files (`*.pub.json`), or legacy HMAC key files. */
  readonly files?: readonly string[];
  /**
   * A directory whose `*.pub.json` and `*.key.json` files are loaded as with `files` (a node's
   * own `*.node.pub.json` and `*.node.key.json` are skipped).
   */
  readonly directory?: string;
  /** Read `SHIELDLINK_OPERATOR_KEYS` from this environment (pass `process.env`). */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /**
   * Accept legacy HMAC key files and entries (shared secrets: whoever holds one, the node
   * included, can sign as that operator). Default false: they are refused (`key-file`,
   * `key-environment`) naming the switch.
   */
  readonly allowLegacyHmac?: boolean;
  /**
   * Accept legacy HMAC key files readable by group or others. Default false: such a file is
   * refused (`key-file`), as ssh refuses a private key with open permissions. Public key files
   * may be readable by anyone.
   */
  readonly allowInsecurePermissions?: boolean;
}

/**
 * The operator keys a node verifies commands with: operators' Ed25519 public keys, and legacy
 * HMAC keys only where explicitly allowed. An operator's Ed25519 private key is refused: a node
 * that could sign could forge. Empty is valid and means every command is rejected
 * (`no-keys-configured`): the bridge fails closed. Two keys with the same id are a
 * configuration error. The keyring never exposes secrets.
 */
export class OperatorKeyring {
  private readonly byId: ReadonlyMap<string, OperatorVerifier>;

  constructor(keys: readonly OperatorVerifier[] = []) {
    const byId = new Map<string, OperatorVerifier>();
    for (const key of keys) {
      if ((key as unknown) instanceof OperatorKey) {
        throw new BridgeError('key-file', `operator key '${key.keyId}': a keyring holds public keys (key.public)`);
      }
      if (byId.has(key.keyId)) throw new BridgeError('key-file', `duplicate operator key id '${key.keyId}'`);
      byId.set(key.keyId, key);
    }
    this.byId = byId;
  }

  /** Load from files, a directory and/or the environment (all that are given, merged). */
  static async load(sources: KeyringSources): Promise<OperatorKeyring> {
    const keys: OperatorVerifier[] = [];
    const files = [...(sources.files ?? [])];
    if (sources.directory !== undefined) {
      let names: string[];
      try {
        names = await readdir(sources.directory);
      } catch (error) {
        throw new BridgeError(
          'key-file',
          `${sources.directory}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
      // A node's own key files (`shieldlink run` writes them to <output dir>/keys/) are not operators'.
      names = names
        .filter((n) => (n.endsWith('.pub.json') || n.endsWith('.key.json')) && !/\.node\.(pub|key)\.json$/.test(n))
        .sort();
      files.push(...names.map((n) => join(sources.directory!, n)));
    }
    for (const file of files) keys.push(await loadOperatorVerifierFile(file, sources));
    if (sources.environment !== undefined) keys.push(...keysFromEnvironment(sources.environment, sources));
    return new OperatorKeyring(keys);
  }

  get size(): number {
    return this.byId.size;
  }

  get(keyId: string): OperatorVerifier | undefined {
    return this.byId.get(keyId);
  }

  keyIds(): string[] {
    return [...this.byId.keys()];
  }

  toJSON(): { keyIds: string[] } {
    return { keyIds: this.keyIds() };
  }

  [inspect.custom](): string {
    return `OperatorKeyring { keyIds: [${this.keyIds().join(', ')}] }`;
  }
}

/**
 * Read an operator's signing key file (Ed25519 key pair or legacy HMAC key), refusing one
 * readable by group or others unless allowed (POSIX only). For `shieldlink cmd` and tests; a
 * node loads {@link loadOperatorVerifierFile} instead.
 */
export async function loadOperatorKeyFile(file: string, allowInsecurePermissions = false): Promise<OperatorKey> {
  const raw = await loadSecretKeyJson(file, 'operator key', {
    allowOpenPermissions: allowInsecurePermissions,
    hint: OPEN_PERMISSIONS_HINT,
  });
  return OperatorKey.fromParsed(raw, file);
}

/**
 * Read one keyring entry: an operator public key file, or (only with `allowLegacyHmac`) a legacy
 * HMAC key file, mode 0600. An operator's Ed25519 private key file is refused.
 */
export async function loadOperatorVerifierFile(
  file: string,
  options: Pick<KeyringSources, 'allowLegacyHmac' | 'allowInsecurePermissions'> = {},
): Promise<OperatorVerifier> {
  const { text, mode } = await readKeyFile(file, 'operator key');
  const raw = parseKeyJson(text, file);
  const kind = keyKindOf(raw);
  if (kind === 'shieldlink-operator-public-key') return OperatorPublicKey.fromJson(text, file);
  if (kind === 'shieldlink-operator-key') {
    throw new KeyFileError(
      'wrong-kind',
      `${file}: an operator's private key; a node holds only public keys (install the .pub.json beside it)`,
    );
  }
  refuseWrongKind(raw, ['shieldlink-operator-hmac-key'], file, 'an operator key');
  if (options.allowLegacyHmac !== true) {
    throw new BridgeError(
      'key-file',
      `${file}: a legacy HMAC key (a shared secret); accept it with auth.legacyHmac: true, or move the operator to Ed25519 (shieldlink keygen --operator)`,
    );
  }
  if (options.allowInsecurePermissions !== true)
    refuseOpenPermissions(file, mode, 'operator key', OPEN_PERMISSIONS_HINT);
  const data = parseKeyFile(operatorHmacKeyFile, raw, file);
  return HmacOperatorKey.fromSecret(data.keyId, data.operator, Buffer.from(data.secret, 'hex'), file);
}

const OPEN_PERMISSIONS_HINT = ', or allow insecure permissions';

function keysFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  options: Pick<KeyringSources, 'allowLegacyHmac'>,
): OperatorVerifier[] {
  const value = env[OPERATOR_KEYS_ENV];
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((entry, index) => {
    const where = `${OPERATOR_KEYS_ENV} entry ${index + 1}`;
    const parts = entry.trim().split(':');
    if (parts.length !== 3) throw new BridgeError('key-environment', `${where}: expected keyId:operator:publicKey`);
    const [keyId, operator, material] = parts as [string, string, string];
    try {
      if (/^[A-Za-z0-9_-]{43}$/.test(material)) return OperatorPublicKey.fromRaw(keyId, operator, material, where);
      if (!/^([0-9a-f]{2})+$/.test(material)) {
        throw new BridgeError('key-environment', `${where}: expected an Ed25519 public key (base64url, 43 characters)`);
      }
      if (options.allowLegacyHmac !== true) {
        throw new BridgeError('key-environment', `${where}: a legacy HMAC secret; legacy HMAC is not enabled`);
      }
      return HmacOperatorKey.fromSecret(keyId, operator, Buffer.from(material, 'hex'), where);
    } catch (error) {
      if (error instanceof BridgeError && error.code === 'key-environment') throw error;
      throw new BridgeError('key-environment', (error as Error).message);
    }
  });
}
