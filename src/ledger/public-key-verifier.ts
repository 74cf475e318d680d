import { createHash, createPublicKey, verify } from 'node:crypto';
import type { HeadVerifier } from './tree-head.js';

/**
 * A head verifier from a node public key file's text (`<node>.node.pub.json`, docs/mqtt.md: `v`,
 * `kind: shieldlink-node-public-key`, `nodeId`, `keyId`, `publicKey` raw Ed25519 base64url) — what a
 * partner holds, without the bridge. Throws an Error naming `source` for anything else, or when
 * the key id is not the first 8 bytes of SHA-256 of the key.
 */
export function headVerifierFromPublicKeyFile(text: string, source: string): HeadVerifier {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${source}: not JSON`);
  }
  const r = raw as Record<string, unknown> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    (r['kind'] !== 'shieldlink-node-public-key' && r['kind'] !== 'shieldlink-node-key') ||
    typeof r['nodeId'] !== 'string' ||
    typeof r['keyId'] !== 'string' ||
    typeof r['publicKey'] !== 'string' ||
    !/^[A-Za-z0-9_-]{43}$/.test(r['publicKey'])
  ) {
    throw new Error(`${source}: not a node public key file`);
  }
  const publicKey = r['publicKey'];
  const keyId = createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 16);
  if (keyId !== r['keyId']) throw new Error(`${source}: keyId does not match the public key`);
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
  return {
    nodeId: r['nodeId'],
    keyId,
    verifyBytes(bytes, signature) {
      if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
      try {
        return verify(null, bytes, key, Buffer.from(signature, 'base64url'));
      } catch {
        return false;
      }
    },
  };
}
