import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { BridgeError } from './bridge-error.js';
import { OperatorKey } from './operator-key.js';

/** Environment variable holding keys: `keyId:operator:secretHex[,keyId:operator:secretHex...]`. */
export const OPERATOR_KEYS_ENV = 'SHIELDLINK_OPERATOR_KEYS';

export interface KeyringSources {
  /** Key files (JSON, see `operatorKeyFile`). */
  readonly files?: readonly string[];
  /** A directory whose `*.key.json` files are key files. */
  readonly directory?: string;
  /** Read `SHIELDLINK_OPERATOR_KEYS` from this environment (pass `process.env`). */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /**
   * Accept key files readable by group or others. Default false: such a file is refused
   * (`key-file`), as ssh refuses a private key with open permissions.
   */
  readonly allowInsecurePermissions?: boolean;
}

/**
 * The operator keys the bridge verifies commands with. Empty is valid and means every command
 * is rejected (`no-keys-configured`): the bridge fails closed. Two keys with the same id are a
 * configuration error. The keyring never exposes secrets (see `OperatorKey`).
 */
export class OperatorKeyring {
  private readonly byId: ReadonlyMap<string, OperatorKey>;

  constructor(keys: readonly OperatorKey[] = []) {
    const byId = new Map<string, OperatorKey>();
    for (const key of keys) {
      if (byId.has(key.keyId)) throw new BridgeError('key-file', `duplicate operator key id '${key.keyId}'`);
      byId.set(key.keyId, key);
    }
    this.byId = byId;
  }

  /** Load from files, a directory and/or the environment (all that are given, merged). */
  static async load(sources: KeyringSources): Promise<OperatorKeyring> {
    const keys: OperatorKey[] = [];
    const files = [...(sources.files ?? [])];
    if (sources.directory !== undefined) {
      const names = (await readdir(sources.directory)).filter((n) => n.endsWith('.key.json')).sort();
      files.push(...names.map((n) => join(sources.directory!, n)));
    }
    for (const file of files) keys.push(await loadOperatorKeyFile(file, sources.allowInsecurePermissions ?? false));
    if (sources.environment !== undefined) keys.push(...keysFromEnvironment(sources.environment));
    return new OperatorKeyring(keys);
  }

  get size(): number {
    return this.byId.size;
  }

  get(keyId: string): OperatorKey | undefined {
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

/** Read one key file, refusing group/world-readable files unless allowed (POSIX only). */
export async function loadOperatorKeyFile(file: string, allowInsecurePermissions = false): Promise<OperatorKey> {
  let text: string;
  try {
    if (!allowInsecurePermissions && process.platform !== 'win32') {
      const mode = (await stat(file)).mode;
      if ((mode & 0o077) !== 0) {
        throw new BridgeError(
          'key-file',
          `${file}: permissions ${(mode & 0o777).toString(8)} are too open (chmod 600, or allow insecure permissions)`,
        );
      }
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof BridgeError) throw error;
    throw new BridgeError('key-file', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return OperatorKey.fromJson(text, file);
}

function keysFromEnvironment(env: Readonly<Record<string, string | undefined>>): OperatorKey[] {
  const value = env[OPERATOR_KEYS_ENV];
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((entry, index) => {
    const parts = entry.trim().split(':');
    if (parts.length !== 3) {
      throw new BridgeError(
        'key-environment',
        `${OPERATOR_KEYS_ENV} entry ${index + 1}: expected keyId:operator:secretHex`,
      );
    }
    const [keyId, operator, secretHex] = parts as [string, string, string];
    if (!/^([0-9a-f]{2})+$/.test(secretHex)) {
      throw new BridgeError(
        'key-environment',
        `${OPERATOR_KEYS_ENV} entry ${index + 1}: secret must be lower-case hex`,
      );
    }
    try {
      return OperatorKey.fromSecret(keyId, operator, Buffer.from(secretHex, 'hex'));
    } catch (error) {
      throw new BridgeError('key-environment', `${OPERATOR_KEYS_ENV} entry ${index + 1}: ${(error as Error).message}`);
    }
  });
}
