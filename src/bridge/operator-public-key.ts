import { createHmac, createPublicKey, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { z } from 'zod';
import { base64url32, KeyFileError, keyFileSchemaError, parseKeyFile, parseKeyJson } from './key-file.js';
import { idString } from './schemas/payload-primitives.js';

/** The signature algorithms an operator key can have. `hmac-sha256` is legacy (shared secrets). */
export type OperatorKeyAlgorithm = 'ed25519' | 'hmac-sha256';

/** An Ed25519 command signature: 64 bytes, base64url without padding (86 characters). */
export const ED25519_SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;
/** A legacy HMAC-SHA256 command signature: 32 bytes, lower-case hex (64 characters). */
export const HMAC_SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;

/** Shortest accepted legacy HMAC secret: 256 bits, the HMAC-SHA256 block-size guidance (RFC 2104 §3). */
export const MIN_SECRET_BYTES = 32;
const MAX_SECRET_BYTES = 64;

/** `<name>.pub.json`: an operator's Ed25519 public key, the only operator key file a node holds. */
export const operatorPublicKeyFile = z.strictObject({
  v: z.literal(1),
  kind: z.literal('shieldlink-operator-public-key'),
  keyId: idString,
  operator: idString.describe('The person; two-operator rules count distinct operators, not keys.'),
  publicKey: base64url32.describe('Raw Ed25519 public key (RFC 8032), base64url.'),
});

/** `<name>.key.json` (mode 0600): an operator's Ed25519 key pair; stays with the operator. */
export const operatorPrivateKeyFile = z.strictObject({
  ...operatorPublicKeyFile.shape,
  kind: z.literal('shieldlink-operator-key'),
  privateKey: base64url32.describe('Raw Ed25519 private key seed, base64url.'),
});

/** Legacy HMAC key file (mode 0600): a secret shared by the operator and every node. */
export const operatorHmacKeyFile = z.strictObject({
  v: z.literal(1),
  kind: z.literal('shieldlink-operator-hmac-key').optional(),
  keyId: idString,
  operator: idString.describe('The person; two-operator rules count distinct operators, not keys.'),
  secret: z
    .string()
    .regex(/^([0-9a-f]{2})+$/)
    .min(MIN_SECRET_BYTES * 2)
    .max(MAX_SECRET_BYTES * 2)
    .describe('HMAC secret, lower-case hex.'),
});
export type OperatorHmacKeyFile = z.infer<typeof operatorHmacKeyFile>;

/** What checking one command signature against one keyring entry gives. */
export type SignatureCheck = 'valid' | 'bad-signature' | 'algorithm-mismatch';

/**
 * A keyring entry: checks signatures made with one operator key. The entry's own algorithm
 * decides how a signature is checked; a signature in the other algorithm's form is
 * `algorithm-mismatch`, never tried the other way (no algorithm confusion). `check` never throws.
 */
export interface OperatorVerifier {
  readonly keyId: string;
  readonly operator: string;
  readonly algorithm: OperatorKeyAlgorithm;
  check(bytes: Uint8Array, signature: string): SignatureCheck;
}

/**
 * An operator's Ed25519 public key: verifies the commands the operator signed, and cannot sign
 * one. What a node's keyring holds for every non-legacy operator.
 */
export class OperatorPublicKey implements OperatorVerifier {
  readonly algorithm = 'ed25519' as const;

  private constructor(
    readonly keyId: string,
    readonly operator: string,
    private readonly key: KeyObject,
    readonly publicKey: string,
  ) {}

  /** From the raw public key (base64url, 43 characters). Throws `key-file` when unusable. */
  static fromRaw(keyId: string, operator: string, publicKey: string, source = `key '${keyId}'`): OperatorPublicKey {
    const parsed = operatorPublicKeyFile.safeParse({
      v: 1,
      kind: 'shieldlink-operator-public-key',
      keyId,
      operator,
      publicKey,
    });
    if (!parsed.success) throw keyFileSchemaError(source, parsed.error);
    let key: KeyObject;
    try {
      key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    } catch {
      throw new KeyFileError('invalid', `${source}: not an Ed25519 public key`);
    }
    return new OperatorPublicKey(keyId, operator, key, publicKey);
  }

  /** Parse a `.pub.json` file's text; `source` names it in errors. */
  static fromJson(text: string, source: string): OperatorPublicKey {
    const data = parseKeyFile(operatorPublicKeyFile, parseKeyJson(text, source), source);
    return OperatorPublicKey.fromRaw(data.keyId, data.operator, data.publicKey, source);
  }

  check(bytes: Uint8Array, signature: string): SignatureCheck {
    if (HMAC_SIGNATURE_PATTERN.test(signature)) return 'algorithm-mismatch';
    if (!ED25519_SIGNATURE_PATTERN.test(signature)) return 'bad-signature';
    try {
      return verify(null, bytes, this.key, Buffer.from(signature, 'base64url')) ? 'valid' : 'bad-signature';
    } catch {
      return 'bad-signature';
    }
  }

  toPublicFileText(): string {
    const file: z.infer<typeof operatorPublicKeyFile> = {
      v: 1,
      kind: 'shieldlink-operator-public-key',
      keyId: this.keyId,
      operator: this.operator,
      publicKey: this.publicKey,
    };
    return JSON.stringify(file, null, 2) + '\n';
  }

  toJSON(): { keyId: string; operator: string; algorithm: 'ed25519' } {
    return { keyId: this.keyId, operator: this.operator, algorithm: 'ed25519' };
  }
}

/**
 * Legacy: an HMAC-SHA256 secret shared by the operator and the node. It signs as well as it
 * verifies, so a node holding it could forge the operator's commands. The secret never leaves
 * this object: `JSON.stringify` and `util.inspect` show only the ids.
 */
export class HmacOperatorKey implements OperatorVerifier {
  readonly algorithm = 'hmac-sha256' as const;
  readonly #secret: Buffer;

  private constructor(
    readonly keyId: string,
    readonly operator: string,
    secret: Buffer,
  ) {
    this.#secret = Buffer.from(secret);
  }

  /** From raw bytes (32 to 64). Throws `key-file` when ids or length are unacceptable. */
  static fromSecret(keyId: string, operator: string, secret: Uint8Array, source = `key '${keyId}'`): HmacOperatorKey {
    const parsed = operatorHmacKeyFile.safeParse({
      v: 1,
      keyId,
      operator,
      secret: Buffer.from(secret).toString('hex'),
    });
    if (!parsed.success) throw keyFileSchemaError(source, parsed.error);
    return new HmacOperatorKey(keyId, operator, Buffer.from(secret));
  }

  /** HMAC-SHA256 of `bytes`, lower-case hex. */
  sign(bytes: Uint8Array): string {
    return this.mac(bytes).toString('hex');
  }

  check(bytes: Uint8Array, signature: string): SignatureCheck {
    if (ED25519_SIGNATURE_PATTERN.test(signature)) return 'algorithm-mismatch';
    const expected = this.mac(bytes);
    const given = Buffer.alloc(expected.length);
    // Decode into a fixed-size buffer so the comparison always runs over 32 bytes.
    const written = HMAC_SIGNATURE_PATTERN.test(signature) ? given.write(signature, 'hex') : 0;
    return timingSafeEqual(expected, given) && written === expected.length ? 'valid' : 'bad-signature';
  }

  /** The key file text (the only way the secret leaves this object). */
  toKeyFileText(): string {
    const file: OperatorHmacKeyFile = {
      v: 1,
      kind: 'shieldlink-operator-hmac-key',
      keyId: this.keyId,
      operator: this.operator,
      secret: this.#secret.toString('hex'),
    };
    return JSON.stringify(file, null, 2) + '\n';
  }

  toJSON(): { keyId: string; operator: string; algorithm: 'hmac-sha256' } {
    return { keyId: this.keyId, operator: this.operator, algorithm: 'hmac-sha256' };
  }

  [inspect.custom](): string {
    return `HmacOperatorKey { keyId: '${this.keyId}', operator: '${this.operator}', secret: [redacted] }`;
  }

  private mac(bytes: Uint8Array): Buffer {
    return createHmac('sha256', this.#secret).update(bytes).digest();
  }
}
