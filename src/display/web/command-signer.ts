import { canonicalJson } from '../../bridge/canonical-json.js';

/** An operator key file as `shieldlink keygen` writes it (docs/mqtt.md §Keys). */
export interface OperatorKeyFile {
  readonly keyId: string;
  readonly operator: string;
  readonly secret: string;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** Parse and check a key file's text; throws with a message for the operator. */
export function parseKeyFile(text: string): OperatorKeyFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('not a JSON key file');
  }
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { keyId, operator, secret } = v;
  if (typeof keyId !== 'string' || !ID_PATTERN.test(keyId)) throw new Error('key file: bad or missing keyId');
  if (typeof operator !== 'string' || operator.length === 0) throw new Error('key file: missing operator');
  if (typeof secret !== 'string' || !/^([0-9a-fA-F]{2}){16,}$/.test(secret))
    throw new Error('key file: secret must be hex (at least 16 bytes)');
  return { keyId, operator, secret: secret.toLowerCase() };
}

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const toHex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** 128 random bits, base64url without padding (22 characters: a valid nonce). */
export function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** A fresh command id (`web-` and 64 random bits in hex). */
export function randomCommandId(): string {
  return `web-${toHex(crypto.getRandomValues(new Uint8Array(8)).buffer)}`;
}

/**
 * Signs commands with WebCrypto HMAC-SHA256 over the canonical JSON of every member but
 * `signature` (docs/mqtt.md §Signing): the same `canonicalJson` the node verifies with. The raw
 * secret is imported as a non-extractable key and dropped.
 */
export class CommandSigner {
  private constructor(
    readonly keyId: string,
    readonly operator: string,
    private readonly key: CryptoKey,
  ) {}

  static async fromKeyFile(file: OperatorKeyFile): Promise<CommandSigner> {
    const key = await crypto.subtle.importKey('raw', hexBytes(file.secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    return new CommandSigner(file.keyId, file.operator, key);
  }

  /** The signed command message (members exactly as the schema wants). */
  async sign(request: {
    id: string;
    node: string;
    verb: string;
    args: Record<string, string>;
    timestampMs: number;
    nonce?: string;
  }): Promise<Record<string, unknown>> {
    const unsigned = {
      v: 1,
      id: request.id,
      node: request.node,
      keyId: this.keyId,
      timestamp: Math.round(request.timestampMs),
      nonce: request.nonce ?? randomNonce(),
      verb: request.verb,
      args: request.args,
    };
    const bytes = new TextEncoder().encode(canonicalJson(unsigned));
    const signature = toHex(await crypto.subtle.sign('HMAC', this.key, bytes));
    return { ...unsigned, signature };
  }
}
