import type { MemberRef } from './intent-schema.js';

/** A claim as deconfliction sees it (held by every node alike, from the shared intents). */
export interface LiveClaim {
  /** The claiming node. */
  readonly node: string;
  readonly claimId: string;
  readonly members: readonly MemberRef[];
  /** Planned intercept, UTC ms. */
  readonly interceptAtMs: number;
  /** FIRE sent: the claim can no longer be withdrawn. */
  readonly committed: boolean;
  /** UTC ms the claim lapses. */
  readonly expiresAtMs: number;
}

/** One threat (the claims whose members meet) and the claim that owns it. */
export interface Ownership {
  readonly owner: LiveClaim;
  /** Every claim on the threat, the owner first, then in rule order. */
  readonly claims: readonly LiveClaim[];
  /** `node|trackId` of every member of every claim on the threat. */
  readonly memberKeys: ReadonlySet<string>;
}

/** The key of a member: `node|trackId`. */
export function memberKey(m: MemberRef): string {
  return `${m.node}|${m.trackId}`;
}

/**
 * The deconfliction rule (docs/decisions/0024-engagement-coordination.md), a total order on
 * claims: the better claim is
 *  1. the committed one (a FIRE already sent cannot be called back; the other holds);
 *  2. then the earlier planned intercept (more time left for a second look);
 *  3. then the smaller node id, then the smaller claim id (UTF-16 code-unit order, no locale).
 * Returns < 0 when `a` is the better claim.
 */
export function compareClaims(a: LiveClaim, b: LiveClaim): number {
  if (a.committed !== b.committed) return a.committed ? -1 : 1;
  if (a.interceptAtMs !== b.interceptAtMs) return a.interceptAtMs < b.interceptAtMs ? -1 : 1;
  if (a.node !== b.node) return a.node < b.node ? -1 : 1;
  if (a.claimId !== b.claimId) return a.claimId < b.claimId ? -1 : 1;
  return 0;
}

/**
 * Groups live claims into threats — two claims are on the same threat when their member sets meet
 * (transitively) — and picks each threat's owner by {@link compareClaims}. A pure function of the
 * set of claims: the same claims in any order give the same threats and owners, so every node
 * that holds the same claims computes the same answer. Exactly one owner per threat.
 * Result sorted by owner (rule order). Claims must be unique per (node, claimId).
 */
export function decideOwners(claims: readonly LiveClaim[]): Ownership[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = k;
    while (c !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    // The smaller key becomes the root: the result does not depend on the order of unions.
    if (ra < rb) parent.set(rb, ra);
    else parent.set(ra, rb);
  };
  for (const c of claims) {
    for (const m of c.members) {
      const k = memberKey(m);
      if (!parent.has(k)) parent.set(k, k);
    }
  }
  for (const c of claims) {
    const first = memberKey(c.members[0]!);
    for (let i = 1; i < c.members.length; i++) union(first, memberKey(c.members[i]!));
  }
  const groups = new Map<string, LiveClaim[]>();
  for (const c of claims) {
    const root = find(memberKey(c.members[0]!));
    const g = groups.get(root);
    if (g === undefined) groups.set(root, [c]);
    else g.push(c);
  }
  const out: Ownership[] = [];
  for (const g of groups.values()) {
    g.sort(compareClaims);
    const keys = new Set<string>();
    for (const c of g) for (const m of c.members) keys.add(memberKey(m));
    out.push({ owner: g[0]!, claims: g, memberKeys: keys });
  }
  out.sort((a, b) => compareClaims(a.owner, b.owner));
  return out;
}

/** Whether a claim is live at `nowMs` (not lapsed; ended claims are not held at all). */
export function isLive(c: LiveClaim, nowMs: number): boolean {
  return nowMs < c.expiresAtMs;
}
