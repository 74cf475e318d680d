/// <reference lib="dom" />
import { canonicalJson } from '../../common/canonical-json.js';

/**
 * How a signed payload (status, device state, command result) checked out against the node's
 * public key: `verified`, `unsigned`, `bad-signature`, or `no-key` when the page was given no key
 * (then nothing can be verified and everything is shown as unverified).
 */
export type SignatureMark = 'verified' | 'unsigned' | 'bad-signature' | 'no-key';

/** Topic kinds the node signs. */
export function isSignedTopic(topic: string): boolean {
  const rest = topic.split('/').slice(3);
  return rest[0] === 'status' || (rest[0] === 'devices' && rest[2] === 'state') || rest.join('/') === 'commands/result';
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Checks node signatures in the browser with WebCrypto Ed25519, over the same bytes the node
 * signs: the canonical JSON of the payload without `nodeSig` (docs/mqtt.md §Node signatures).
 */
export class NodeSignatureChecker {
  private constructor(private readonly key: CryptoKey | null) {}

  /** From the node's raw public key (base64url), or null: then every mark is `no-key`. */
  static async create(publicKey: string | null): Promise<NodeSignatureChecker> {
    if (publicKey === null) return new NodeSignatureChecker(null);
    try {
      const key = await crypto.subtle.importKey('raw', fromBase64url(publicKey), { name: 'Ed25519' }, false, [
        'verify',
      ]);
      return new NodeSignatureChecker(key);
    } catch {
      return new NodeSignatureChecker(null);
    }
  }

  get hasKey(): boolean {
    return this.key !== null;
  }

  async check(payload: unknown): Promise<SignatureMark> {
    if (this.key === null) return 'no-key';
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'unsigned';
    const { nodeSig, ...rest } = payload as Record<string, unknown>;
    if (nodeSig === undefined) return 'unsigned';
    if (typeof nodeSig !== 'string' || !/^[A-Za-z0-9_-]{86}$/.test(nodeSig)) return 'bad-signature';
    try {
      const bytes = new TextEncoder().encode(canonicalJson(rest, 'finite'));
      const ok = await crypto.subtle.verify({ name: 'Ed25519' }, this.key, fromBase64url(nodeSig), bytes);
      return ok ? 'verified' : 'bad-signature';
    } catch {
      return 'bad-signature';
    }
  }
}
