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

/**
 * {@link headSigningBytes} of a head read from `line`, a line already checked to be canonical
 * JSON (finite numbers) whose parse is `head`, taken from the line without serializing the head
 * again: the line with its `"sig"` member cut out. Null when that is not certain to be the same
 * bytes (a member other than a safe integer, a string, a boolean or `consistency` as an array
 * of strings; no `sig` string of 86 base64url characters): the caller then uses
 * {@link headSigningBytes}.
 */
export function headSigningBytesOfLine(line: string, head: TreeHead): Buffer | null {
  const record = head as unknown as Record<string, unknown>;
  for (const key in record) {
    const v = record[key];
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) return null;
    } else if (typeof v === 'object') {
      if (key !== 'consistency' || !Array.isArray(v)) return null;
      for (const h of v as unknown[]) if (typeof h !== 'string') return null;
    } else if (typeof v !== 'string' && typeof v !== 'boolean') return null;
  }
  if (typeof head.sig !== 'string' || !SIGNATURE.test(head.sig)) return null;
  // Canonical: the one top-level "sig" member is `"sig":"<86 chars>"`, after `{` or `,`.
  const member = `"sig":"${head.sig}"`;
  const at = line.indexOf(member);
  if (at < 1) return null;
  const end = at + member.length;
  let rest: string;
  if (line[at - 1] === ',') rest = line.slice(0, at - 1) + line.slice(end);
  else if (line[end] === ',') rest = line.slice(0, at) + line.slice(end + 1);
  else rest = line.slice(0, at) + line.slice(end);
  return Buffer.from(HEAD_DOMAIN + rest, 'utf8');
}

const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;

export function signHead(head: Omit<TreeHead, 'sig'>, signer: HeadSigner): TreeHead {
  return { ...head, sig: signer.signBytes(headSigningBytes(head)) };
}
