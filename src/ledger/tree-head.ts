import { canonicalJson } from '../common/canonical-json.js';

/** Format tag of the ledger file's first line. */
export const LEDGER_FORMAT = 'shieldlink-ledger/1';

/** What signs tree heads: a node key (src/bridge/node-key.ts `NodeKey` fits). */
export interface HeadSigner {
  readonly nodeId: string;
  readonly keyId: string;
  /** Ed25519 signature of `bytes`, base64url (86 characters). */
  signBytes(bytes: Uint8Array): string;
}

/** What checks tree heads: a node public key (`NodePublicKey` fits). Never throws. */
export interface HeadVerifier {
  readonly nodeId: string;
  readonly keyId: string;
  verifyBytes(bytes: Uint8Array, signatureB64url: string): boolean;
}

/**
 * A signed tree head (the STH of RFC 9162 §4.10, in JSON): the `n`-th head of the node's ledger
 * covers its first `size` entries, whose Merkle tree head is `root` (hex); `timeMs` is the node's
 * wall clock (Unix ms; fixed-epoch virtual time in virtual runs). `prevSize` is the size of head
 * `n - 1` (0 for the first) and `consistency` the RFC 9162 consistency proof from it to this one
 * (hex hashes). `final` marks the head written when the run closed the ledger: a ledger without
 * one was cut short. `sig` signs every other member (see {@link headSigningBytes}).
 */
export interface TreeHead {
  readonly kind: 'head';
  readonly n: number;
  readonly nodeId: string;
  readonly keyId: string;
  readonly size: number;
  readonly root: string;
  readonly timeMs: number;
  readonly prevSize: number;
  readonly consistency: readonly string[];
  readonly final: boolean;
  readonly sig: string;
}

/** The ledger file's first line. */
export interface LedgerHeader {
  readonly kind: 'ledger';
  readonly format: typeof LEDGER_FORMAT;
  readonly nodeId: string;
  readonly keyId: string;
  /** Always `rfc9162-sha256`: leaf and node hashing of RFC 9162 §2.1 with SHA-256. */
  readonly tree: 'rfc9162-sha256';
}

const HEAD_DOMAIN = 'shieldlink-tree-head/1\n';

/**
 * The bytes a head's signature covers: `shieldlink-tree-head/1\n` then the canonical JSON
 * (src/common/canonical-json.ts, safe integers) of the head without `sig`. The domain prefix
 * keeps a head signature from ever being valid as any other node-signed payload.
 */
export function headSigningBytes(head: Omit<TreeHead, 'sig'> | TreeHead): Buffer {
  const { sig: _sig, ...rest } = head as TreeHead;
  return Buffer.from(HEAD_DOMAIN + canonicalJson(rest), 'utf8');
}

export function signHead(head: Omit<TreeHead, 'sig'>, signer: HeadSigner): TreeHead {
  return { ...head, sig: signer.signBytes(headSigningBytes(head)) };
}
