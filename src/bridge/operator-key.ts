import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { inspect } from 'node:util';
import {
  ed25519PrivateKeyOfSeed,
  KeyFileError,
  keyKindOf,
  parseKeyFile,
  parseKeyJson,
  publicKeyFileOf,
  refuseWrongKind,
  writeKeyFile,
} from './key-file.js';
import {
  HmacOperatorKey,
  MIN_SECRET_BYTES,
  type OperatorKeyAlgorithm,
  operatorHmacKeyFile,
  operatorPrivateKeyFile,
  OperatorPublicKey,
  type OperatorVerifier,
} from './operator-public-key.js';

/**
 * An operator's signing key: an Ed25519 key pair (`shieldlink keygen --operator`), or a legacy
 * HMAC secret (`--legacy-hmac`). It stays with the operator (`shieldlink cmd --key`, the
 * display); a node's keyring holds only its {@link OperatorKey.public} half. The private key
 * never leaves this object except through {@link toKeyFileText}: `JSON.stringify` and
 * `util.inspect` show only ids, so it cannot end up in a log line, a recording or an MQTT
 * payload by accident.
 */
export class OperatorKey {
  readonly #ed25519: { readonly seed: string; readonly key: KeyObject } | null;
  readonly #hmac: HmacOperatorKey | null;
  /** What a node's keyring holds to check this key's signatures. */
  readonly public: OperatorVerifier;

  private constructor(
    ed25519: { seed: string; key: KeyObject; publicKey: OperatorPublicKey } | null,
    hmac: HmacOperatorKey | null,
  ) {
    this.#ed25519 = ed25519 === null ? null : { seed: ed25519.seed, key: ed25519.key };
    this.#hmac = hmac;
    this.public = ed25519?.publicKey ?? hmac!;
  }

  get keyId(): string {
    return this.public.keyId;
  }

  get operator(): string {
    return this.public.operator;
  }

  get algorithm(): OperatorKeyAlgorithm {
    return this.public.algorithm;
  }

  /** A new Ed25519 key pair from the OS CSPRNG. Throws `key-file` for unacceptable ids. */
  static generate(keyId: string, operator: string): OperatorKey {
    const { privateKey } = generateKeyPairSync('ed25519');
    return OperatorKey.fromSeed(keyId, operator, Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
  }

  /** The Ed25519 key pair of a 32-byte seed (RFC 8032 private key). */
  static fromSeed(keyId: string, operator: string, seed: Uint8Array, source = `key '${keyId}'`): OperatorKey {
    const key = ed25519PrivateKeyOfSeed(seed, source);
    const x = createPublicKey(key).export({ format: 'jwk' }).x!;
    const publicKey = OperatorPublicKey.fromRaw(keyId, operator, x, source);
    return new OperatorKey({ seed: Buffer.from(seed).toString('base64url'), key, publicKey }, null);
  }

  /** Legacy: a new random HMAC secret (32 bytes from the OS CSPRNG). */
  static generateLegacyHmac(keyId: string, operator: string): OperatorKey {
    return OperatorKey.fromSecret(keyId, operator, randomBytes(MIN_SECRET_BYTES));
  }

  /** Legacy: an HMAC key from raw bytes (32 to 64). Throws `key-file` when unacceptable. */
  static fromSecret(keyId: string, operator: string, secret: Uint8Array): OperatorKey {
    return new OperatorKey(null, HmacOperatorKey.fromSecret(keyId, operator, secret));
  }

  /**
   * Parse a private key file: an Ed25519 key pair (its public half must match the seed) or a
   * legacy HMAC key. A public key file is refused: it cannot sign. `source` names the file in
   * errors (never its content).
   */
  static fromJson(text: string, source: string): OperatorKey {
    return OperatorKey.fromParsed(parseKeyJson(text, source), source);
  }

  /** {@link fromJson} of an already parsed file (`loadOperatorKeyFile`). */
  static fromParsed(raw: unknown, source: string): OperatorKey {
    const kind = keyKindOf(raw);
    if (kind === 'shieldlink-operator-public-key') {
      throw new KeyFileError('wrong-kind', `${source}: a public key cannot sign; use the operator's .key.json`);
    }
    refuseWrongKind(raw, ['shieldlink-operator-key', 'shieldlink-operator-hmac-key'], source, 'an operator key');
    if (kind === 'shieldlink-operator-key') {
      const { keyId, operator, publicKey, privateKey } = parseKeyFile(operatorPrivateKeyFile, raw, source);
      const key = OperatorKey.fromSeed(keyId, operator, Buffer.from(privateKey, 'base64url'), source);
      if ((key.public as OperatorPublicKey).publicKey !== publicKey) {
        throw new KeyFileError('mismatch', `${source}: the public key does not match the private key`);
      }
      return key;
    }
    const data = parseKeyFile(operatorHmacKeyFile, raw, source);
    return new OperatorKey(
      null,
      HmacOperatorKey.fromSecret(data.keyId, data.operator, Buffer.from(data.secret, 'hex'), source),
    );
  }

  /** The signature of `bytes`: Ed25519 as base64url (86 characters), legacy HMAC as hex (64). */
  sign(bytes: Uint8Array): string {
    if (this.#ed25519 !== null) return sign(null, bytes, this.#ed25519.key).toString('base64url');
    return this.#hmac!.sign(bytes);
  }

  /** Does `signature` sign `bytes` under this key (as a node with its public half would judge)? */
  verify(bytes: Uint8Array, signature: string): boolean {
    return this.public.check(bytes, signature) === 'valid';
  }

  /** The private key file text (the only way key material leaves this object; used by `keygen`). */
  toKeyFileText(): string {
    if (this.#hmac !== null) return this.#hmac.toKeyFileText();
    const pub = this.public as OperatorPublicKey;
    const file = {
      v: 1,
      kind: 'shieldlink-operator-key',
      keyId: pub.keyId,
      operator: pub.operator,
      publicKey: pub.publicKey,
      privateKey: this.#ed25519!.seed,
    };
    return JSON.stringify(file, null, 2) + '\n';
  }

  /**
   * Write the key file (mode 0600; refuses an existing file unless `overwrite`) and, for
   * Ed25519, `<file without .key.json>.pub.json` (0644) beside it. Returns the public file or null.
   */
  async write(file: string, overwrite: boolean): Promise<string | null> {
    await writeKeyFile(file, this.toKeyFileText(), 0o600, overwrite);
    if (!(this.public instanceof OperatorPublicKey)) return null;
    const pubFile = publicKeyFileOf(file);
    // Derived from the key just written: an old public file beside it is replaced.
    await writeKeyFile(pubFile, this.public.toPublicFileText(), 0o644, true);
    return pubFile;
  }

  toJSON(): { keyId: string; operator: string; algorithm: OperatorKeyAlgorithm } {
    return { keyId: this.keyId, operator: this.operator, algorithm: this.algorithm };
  }

  [inspect.custom](): string {
    return `OperatorKey { keyId: '${this.keyId}', operator: '${this.operator}', algorithm: '${this.algorithm}', private: [redacted] }`;
  }
}
