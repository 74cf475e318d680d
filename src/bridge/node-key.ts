import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { inspect } from 'node:util';
import { z } from 'zod';
import { canonicalJson } from '../common/canonical-json.js';
import { BridgeError } from './bridge-error.js';
import {
  base64url32,
  ed25519PrivateKeyOfSeed,
  KeyFileError,
  keyKindOf,
  loadSecretKeyJson,
  parseKeyFile,
  parseKeyJson,
  publicKeyFileOf,
  readKeyFile,
  refuseWrongKind,
  writeKeyFile,
} from './key-file.js';
import { idString } from './schemas/payload-primitives.js';

/** The member a node-signed payload carries: Ed25519 signature, base64url without padding (86 chars). */
export const NODE_SIGNATURE_MEMBER = 'nodeSig';
export const NODE_SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;

/** `<node>.node.pub.json`: what partners, operators and displays need to check a node's signatures. */
export const nodePublicKeyFile = z.strictObject({
  v: z.literal(1),
  kind: z.literal('shieldlink-node-public-key'),
  nodeId: idString,
  keyId: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .describe('First 8 bytes of SHA-256 of the raw public key, hex.'),
  publicKey: base64url32.describe('Raw Ed25519 public key (RFC 8032), base64url.'),
});

/** `<node>.node.key.json` (mode 0600): the node's key pair. */
export const nodeKeyFile = z.strictObject({
  ...nodePublicKeyFile.shape,
  kind: z.literal('shieldlink-node-key'),
  privateKey: base64url32.describe('Raw Ed25519 private key seed, base64url.'),
});

/** The result of checking a node signature on a payload. */
export type NodeSignatureVerdict = 'valid' | 'unsigned' | 'bad-signature';

/**
 * A node's public key: checks what the node signed (status, device states, command results and,
 * later, engagement events and its ledger). Pure and cheap to copy.
 */
export class NodePublicKey {
  readonly keyId: string;

  private constructor(
    readonly nodeId: string,
    private readonly key: KeyObject,
    readonly publicKey: string,
  ) {
    this.keyId = keyIdOf(publicKey);
  }

  static fromRaw(nodeId: string, publicKey: string): NodePublicKey {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    return new NodePublicKey(nodeId, key, publicKey);
  }

  /** Parse a public key file, or a node key file (its public half is used). `source` names it in errors. */
  static fromJson(text: string, source: string): NodePublicKey {
    return NodePublicKey.fromParsed(parseKeyJson(text, source), source);
  }

  /** Read a public key file (or a node key file); any mode, it holds nothing secret. */
  static async load(file: string): Promise<NodePublicKey> {
    return NodePublicKey.fromJson((await readKeyFile(file, 'node public key')).text, file);
  }

  private static fromParsed(raw: unknown, source: string): NodePublicKey {
    refuseWrongKind(raw, ['shieldlink-node-public-key', 'shieldlink-node-key'], source, 'a node key');
    const data = parseKeyFile(keyKindOf(raw) === 'shieldlink-node-key' ? nodeKeyFile : nodePublicKeyFile, raw, source);
    if (data.keyId !== keyIdOf(data.publicKey)) {
      throw new KeyFileError('mismatch', `${source}: keyId does not match the public key`);
    }
    return NodePublicKey.fromRaw(data.nodeId, data.publicKey);
  }

  /** Does `signatureB64url` sign `bytes` under this key? Never throws. */
  verifyBytes(bytes: Uint8Array, signatureB64url: string): boolean {
    if (!NODE_SIGNATURE_PATTERN.test(signatureB64url)) return false;
    try {
      return verify(null, bytes, this.key, Buffer.from(signatureB64url, 'base64url'));
    } catch {
      return false;
    }
  }

  /** Check a parsed payload's `nodeSig` (see {@link nodeSigningBytes}). Never throws. */
  verifyPayload(payload: unknown): NodeSignatureVerdict {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'unsigned';
    const sig = (payload as Record<string, unknown>)[NODE_SIGNATURE_MEMBER];
    if (sig === undefined) return 'unsigned';
    if (typeof sig !== 'string') return 'bad-signature';
    let bytes: Buffer;
    try {
      bytes = nodeSigningBytes(payload as Record<string, unknown>);
    } catch {
      return 'bad-signature';
    }
    return this.verifyBytes(bytes, sig) ? 'valid' : 'bad-signature';
  }

  toPublicFileText(): string {
    return (
      JSON.stringify(
        { v: 1, kind: 'shieldlink-node-public-key', nodeId: this.nodeId, keyId: this.keyId, publicKey: this.publicKey },
        null,
        2,
      ) + '\n'
    );
  }
}

/**
 * A node's Ed25519 key pair (`shieldlink keygen --node ID`). The private key never leaves this
 * object: `JSON.stringify` and `util.inspect` show only ids. One key per node, for everything the
 * node signs; partners see only {@link NodePublicKey}.
 */
export class NodeKey {
  readonly #privateKey: KeyObject;
  readonly #seed: string;
  readonly public: NodePublicKey;

  private constructor(nodeId: string, seed: string, publicKey: string) {
    this.#seed = seed;
    this.#privateKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: seed, x: publicKey },
      format: 'jwk',
    });
    this.public = NodePublicKey.fromRaw(nodeId, publicKey);
  }

  get nodeId(): string {
    return this.public.nodeId;
  }

  get keyId(): string {
    return this.public.keyId;
  }

  /** A new key pair from the OS CSPRNG. */
  static generate(nodeId: string): NodeKey {
    if (!idString.safeParse(nodeId).success) throw new BridgeError('invalid-id', `invalid node id '${nodeId}'`);
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    return new NodeKey(nodeId, jwk.d!, jwk.x!);
  }

  /**
   * The key pair of a 32-byte Ed25519 seed (RFC 8032 private key). For simulated nodes of a
   * virtual-time joint run, whose keys derive from the scenario seed (signatures repeat).
   */
  static fromSeed(nodeId: string, seed: Uint8Array): NodeKey {
    if (!idString.safeParse(nodeId).success) throw new BridgeError('invalid-id', `invalid node id '${nodeId}'`);
    const key = ed25519PrivateKeyOfSeed(seed, `node '${nodeId}'`);
    return new NodeKey(
      nodeId,
      Buffer.from(seed).toString('base64url'),
      createPublicKey(key).export({ format: 'jwk' }).x!,
    );
  }

  static fromJson(text: string, source: string): NodeKey {
    return NodeKey.fromParsed(parseKeyJson(text, source), source);
  }

  /** Read a key file; refused when readable by group or others (like operator keys). */
  static async load(file: string): Promise<NodeKey> {
    return NodeKey.fromParsed(await loadSecretKeyJson(file, 'node key'), file);
  }

  private static fromParsed(raw: unknown, source: string): NodeKey {
    if (keyKindOf(raw) === 'shieldlink-node-public-key') {
      throw new KeyFileError('wrong-kind', `${source}: a node's public key cannot sign; use its .node.key.json`);
    }
    refuseWrongKind(raw, ['shieldlink-node-key'], source, 'a node key');
    const data = parseKeyFile(nodeKeyFile, raw, source);
    let key: NodeKey;
    try {
      key = new NodeKey(data.nodeId, data.privateKey, data.publicKey);
    } catch {
      throw new KeyFileError('invalid', `${source}: not an Ed25519 key pair`);
    }
    // The stored public key must be the private key's: a file with a swapped half is refused.
    const derived = createPublicKey(key.#privateKey).export({ format: 'jwk' }).x;
    if (derived !== data.publicKey || data.keyId !== key.keyId) {
      throw new KeyFileError('mismatch', `${source}: public key or keyId does not match the private key`);
    }
    return key;
  }

  /**
   * Load `file`, or make a new key pair and write it there (0600, never overwriting) together
   * with the public key file beside it. Returns the key and whether it was created.
   */
  static async loadOrCreate(file: string, nodeId: string): Promise<{ key: NodeKey; created: boolean }> {
    try {
      const key = await NodeKey.load(file);
      if (key.nodeId !== nodeId) {
        throw new KeyFileError('mismatch', `${file}: key of node '${key.nodeId}', not '${nodeId}'`);
      }
      return { key, created: false };
    } catch (error) {
      if (!(error instanceof KeyFileError) || error.problem !== 'missing') throw error;
    }
    const key = NodeKey.generate(nodeId);
    await key.write(file, false);
    return { key, created: true };
  }

  /** Write the key file (0600) and `<file without .key.json>.pub.json` (0644). */
  async write(file: string, overwrite: boolean): Promise<string> {
    await writeKeyFile(file, this.toKeyFileText(), 0o600, overwrite);
    const pubFile = publicKeyFileOf(file);
    await writeKeyFile(pubFile, this.public.toPublicFileText(), 0o644, true);
    return pubFile;
  }

  /** Ed25519 signature of `bytes`, base64url. */
  signBytes(bytes: Uint8Array): string {
    return sign(null, bytes, this.#privateKey).toString('base64url');
  }

  /** `payload` with `nodeSig` added (any `nodeSig` it had is replaced). */
  signPayload<T extends object>(payload: T): T & { nodeSig: string } {
    const { [NODE_SIGNATURE_MEMBER]: _old, ...rest } = payload as Record<string, unknown>;
    return { ...(rest as T), nodeSig: this.signBytes(nodeSigningBytes(rest)) };
  }

  toKeyFileText(): string {
    const p = this.public;
    return (
      JSON.stringify(
        {
          v: 1,
          kind: 'shieldlink-node-key',
          nodeId: p.nodeId,
          keyId: p.keyId,
          publicKey: p.publicKey,
          privateKey: this.#seed,
        },
        null,
        2,
      ) + '\n'
    );
  }

  toJSON(): { nodeId: string; keyId: string } {
    return { nodeId: this.nodeId, keyId: this.keyId };
  }

  [inspect.custom](): string {
    return `NodeKey { nodeId: '${this.nodeId}', keyId: '${this.keyId}' }`;
  }
}

/**
 * What a node signature covers: the UTF-8 bytes of the canonical JSON (docs/mqtt.md §Signing,
 * any finite number allowed) of the payload without its `nodeSig` member.
 */
export function nodeSigningBytes(payload: Record<string, unknown>): Buffer {
  const { [NODE_SIGNATURE_MEMBER]: _sig, ...rest } = payload;
  return Buffer.from(canonicalJson(rest, 'finite'), 'utf8');
}

function keyIdOf(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 16);
}
