import { canonicalJson } from '../../bridge/canonical-json.js';

/**
 * An operator's private key file as `shieldlink keygen` writes it (docs/mqtt.md §Keys): an
 * Ed25519 key pair (`kind: shieldlink-operator-key`), or a legacy HMAC key (`secret`).
 */
export type OperatorKeyFile =
  | {
      readonly algorithm: 'ed25519';
      readonly keyId: string;
      readonly operator: string;
      readonly publicKey: string;
      readonly privateKey: string;
    }
  | { readonly algorithm: 'hmac-sha256'; readonly keyId: string; readonly operator: string; readonly secret: string };

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const BASE64URL_32 = /^[A-Za-z0-9_-]{43}$/;

/** Parse and check a private key file's text; throws with a message for the operator (never the key). */
export function parseKeyFile(text: string): OperatorKeyFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('not a JSON key file');
  }
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { kind, keyId, operator } = v;
  if (typeof keyId !== 'string' || !ID_PATTERN.test(keyId)) throw new Error('key file: bad or missing keyId');
  if (typeof operator !== 'string' || operator.length === 0) throw new Error('key file: missing operator');
  if (kind === 'shieldlink-operator-public-key') {
    throw new Error("key file: a public key cannot sign; load the operator's .key.json");
  }
  if (kind === 'shieldlink-operator-key') {
    const { publicKey, privateKey } = v;
    if (typeof publicKey !== 'string' || !BASE64URL_32.test(publicKey)) throw new Error('key file: bad publicKey');
    if (typeof privateKey !== 'string' || !BASE64URL_32.test(privateKey)) throw new Error('key file: bad privateKey');
    return { algorithm: 'ed25519', keyId, operator, publicKey, privateKey };
  }
  if (kind !== undefined && kind !== 'shieldlink-operator-hmac-key') throw new Error('key file: not an operator key');
  const { secret } = v;
  if (typeof secret !== 'string' || !/^([0-9a-fA-F]{2}){16,}$/.test(secret))
    throw new Error('key file: secret must be hex (at least 16 bytes)');
  return { algorithm: 'hmac-sha256', keyId, operator, secret: secret.toLowerCase() };
}

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const toHex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

const toBase64url = (bytes: ArrayBuffer): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** 128 random bits, base64url without padding (22 characters: a valid nonce). */
export function randomNonce(): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(16)).buffer);
}

/** A fresh command id (`web-` and 64 random bits in hex). */
export function randomCommandId(): string {
  return `web-${toHex(crypto.getRandomValues(new Uint8Array(8)).buffer)}`;
}

/**
 * Signs commands in the browser with WebCrypto over the canonical JSON of every member but
 * `signature` (docs/mqtt.md §Signing): the same `canonicalJson` the node verifies with. Ed25519
 * (base64url signature), or HMAC-SHA256 (hex) for a legacy key. The key material is imported
 * as a non-extractable key and dropped.
 */
export class CommandSigner {
  private constructor(
    readonly keyId: string,
    readonly operator: string,
    readonly algorithm: OperatorKeyFile['algorithm'],
    private readonly key: CryptoKey,
  ) {}

  static async fromKeyFile(file: OperatorKeyFile): Promise<CommandSigner> {
    const key =
      file.algorithm === 'ed25519'
        ? await crypto.subtle.importKey(
            'jwk',
            { kty: 'OKP', crv: 'Ed25519', x: file.publicKey, d: file.privateKey },
            { name: 'Ed25519' },
            false,
            ['sign'],
          )
        : await crypto.subtle.importKey('raw', hexBytes(file.secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
            'sign',
          ]);
    return new CommandSigner(file.keyId, file.operator, file.algorithm, key);
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
    const signature =
      this.algorithm === 'ed25519'
        ? toBase64url(await crypto.subtle.sign({ name: 'Ed25519' }, this.key, bytes))
        : toHex(await crypto.subtle.sign('HMAC', this.key, bytes));
    return { ...unsigned, signature };
  }
}
