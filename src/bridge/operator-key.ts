import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import { z } from 'zod';
import { BridgeError } from './bridge-error.js';
import { idString } from './schemas/payload-primitives.js';

/** Shortest accepted secret: 256 bits, the HMAC-SHA256 block-size guidance (RFC 2104 §3). */
export const MIN_SECRET_BYTES = 32;
const MAX_SECRET_BYTES = 64;

/** On-disk form of one operator key (`shieldlink keygen` writes it, mode 0600). */
export const operatorKeyFile = z.strictObject({
  v: z.literal(1),
  keyId: idString,
  operator: idString.describe('The person; two-operator rules count distinct operators, not keys.'),
  secret: z
    .string()
    .regex(/^([0-9a-f]{2})+$/)
    .min(MIN_SECRET_BYTES * 2)
    .max(MAX_SECRET_BYTES * 2)
    .describe('HMAC secret, lower-case hex.'),
});
export type OperatorKeyFile = z.infer<typeof operatorKeyFile>;

/**
 * One operator's HMAC key. The secret lives in a private field and never leaves this object:
 * callers get signatures and comparisons, `JSON.stringify` and `util.inspect` show only the ids,
 * so a key cannot end up in a log line, a recording or an MQTT payload by accident.
 */
export class OperatorKey {
  readonly #secret: Buffer;

  private constructor(
    readonly keyId: string,
    readonly operator: string,
    secret: Buffer,
  ) {
    this.#secret = Buffer.from(secret);
  }

  /** From raw bytes (>= 32). Throws `key-file` when ids or length are unacceptable. */
  static fromSecret(keyId: string, operator: string, secret: Uint8Array): OperatorKey {
    const parsed = operatorKeyFile.safeParse({ v: 1, keyId, operator, secret: Buffer.from(secret).toString('hex') });
    if (!parsed.success) {
      throw new BridgeError('key-file', `invalid operator key '${keyId}': ${parsed.error.issues[0]?.message ?? ''}`);
    }
    return new OperatorKey(keyId, operator, Buffer.from(secret));
  }

  /** Parse the JSON text of a key file; `source` names it in errors (never the content). */
  static fromJson(text: string, source: string): OperatorKey {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new BridgeError('key-file', `${source}: not JSON`);
    }
    const parsed = operatorKeyFile.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BridgeError('key-file', `${source}: ${issue?.path.join('.') || 'key'}: ${issue?.message ?? 'invalid'}`);
    }
    return new OperatorKey(parsed.data.keyId, parsed.data.operator, Buffer.from(parsed.data.secret, 'hex'));
  }

  /** A new random key (32 bytes from the OS CSPRNG). */
  static generate(keyId: string, operator: string): OperatorKey {
    return OperatorKey.fromSecret(keyId, operator, randomBytes(MIN_SECRET_BYTES));
  }

  /** HMAC-SHA256 of `bytes`. */
  mac(bytes: Uint8Array): Buffer {
    return createHmac('sha256', this.#secret).update(bytes).digest();
  }

  /** Constant-time check of a hex signature (64 hex chars) over `bytes`. */
  verify(bytes: Uint8Array, signatureHex: string): boolean {
    const expected = this.mac(bytes);
    const given = Buffer.alloc(expected.length);
    // Decode into a fixed-size buffer so the comparison below always runs over 32 bytes.
    const written = /^[0-9a-f]{64}$/.test(signatureHex) ? given.write(signatureHex, 'hex') : 0;
    return timingSafeEqual(expected, given) && written === expected.length;
  }

  /** The key file text (the only way the secret leaves this object; used by `keygen`). */
  toKeyFileText(): string {
    const file: OperatorKeyFile = {
      v: 1,
      keyId: this.keyId,
      operator: this.operator,
      secret: this.#secret.toString('hex'),
    };
    return JSON.stringify(file, null, 2) + '\n';
  }

  toJSON(): { keyId: string; operator: string } {
    return { keyId: this.keyId, operator: this.operator };
  }

  [inspect.custom](): string {
    return `OperatorKey { keyId: '${this.keyId}', operator: '${this.operator}', secret: [redacted] }`;
  }
}
