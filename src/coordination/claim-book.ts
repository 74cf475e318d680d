import type { LiveClaim } from './deconfliction.js';
import { type ClaimIntent, type EngagementIntent, type MemberRef, isoOfMs } from './intent-schema.js';

/** A claim as held: what deconfliction needs, plus what status and the display show. */
export interface HeldClaim extends LiveClaim {
  readonly jointTrackId: number;
  readonly launcherId: string;
  readonly launchAtMs: number;
  readonly interceptEcefM: readonly [number, number, number];
  readonly killProbability: number;
}

/**
 * A claim holds others' fire at most this long after its planned intercept, whatever its
 * `expiresAt` says: a partner cannot hold this node's fire indefinitely.
 */
export const MAX_CLAIM_GRACE_MS = 60_000;

/** Most claims held per node; beyond, the one that lapses first goes. */
export const MAX_CLAIMS_PER_NODE = 256;

/** A claim intent as held. */
export function heldOf(node: string, c: ClaimIntent, committed = c.committed): HeldClaim {
  return {
    node,
    claimId: c.claimId,
    members: c.members.map((m: MemberRef) => ({ node: m.node, trackId: m.trackId })),
    interceptAtMs: Date.parse(c.interceptAt),
    committed,
    expiresAtMs: Math.min(Date.parse(c.expiresAt), Date.parse(c.interceptAt) + MAX_CLAIM_GRACE_MS),
    jointTrackId: c.jointTrackId,
    launcherId: c.launcherId,
    launchAtMs: Date.parse(c.launchAt),
    interceptEcefM: [...c.interceptEcefM],
    killProbability: c.killProbability,
  };
}

/** A held claim as its intent again (restated in snapshots). */
export function claimIntentOf(c: HeldClaim): ClaimIntent {
  return {
    type: 'claim',
    claimId: c.claimId,
    jointTrackId: c.jointTrackId,
    members: c.members.map((m) => ({ ...m })),
    launcherId: c.launcherId,
    launchAt: isoOfMs(c.launchAtMs),
    interceptAt: isoOfMs(c.interceptAtMs),
    interceptEcefM: [...c.interceptEcefM],
    killProbability: c.killProbability,
    expiresAt: isoOfMs(c.expiresAtMs),
    committed: c.committed,
  };
}

/** What applying one intent did (for events and counters). */
export type ClaimChange =
  | { readonly kind: 'claimed' | 'committed'; readonly claim: HeldClaim }
  | { readonly kind: 'ended'; readonly claim: HeldClaim; readonly how: 'kill' | 'miss' | 'aborted' | 'release' }
  | { readonly kind: 'reconciled'; readonly node: string; readonly forgotten: number };

/**
 * The claims of every node (this one and its partners), per node, in the order they came. Claim
 * intents add or update; commit marks committed; result and release end (remove) the claim; a
 * snapshot forgets the node's claims it does not list. Lapsed claims are purged on `purge`.
 * Bounded ({@link MAX_CLAIMS_PER_NODE} per node). Pure: no clock, no I/O.
 */
export class ClaimBook {
  private readonly byNode = new Map<string, Map<string, HeldClaim>>();

  private of(node: string): Map<string, HeldClaim> {
    let m = this.byNode.get(node);
    if (m === undefined) {
      m = new Map();
      this.byNode.set(node, m);
    }
    return m;
  }

  /** Apply one intent from `node` (requests and answers are not claims: ignored here). */
  apply(node: string, intent: EngagementIntent): ClaimChange | null {
    const claims = this.of(node);
    switch (intent.type) {
      case 'claim': {
        const old = claims.get(intent.claimId);
        const claim = heldOf(node, intent, intent.committed || old?.committed === true);
        claims.delete(intent.claimId);
        claims.set(intent.claimId, claim);
        if (claims.size > MAX_CLAIMS_PER_NODE) {
          const first = [...claims.values()].reduce((a, b) => (b.expiresAtMs < a.expiresAtMs ? b : a));
          claims.delete(first.claimId);
        }
        return { kind: 'claimed', claim };
      }
      case 'commit': {
        const old = claims.get(intent.claimId);
        if (old === undefined || old.committed) return null;
        const claim = { ...old, committed: true };
        claims.set(intent.claimId, claim);
        return { kind: 'committed', claim };
      }
      case 'result':
      case 'release': {
        const old = claims.get(intent.claimId);
        if (old === undefined) return null;
        claims.delete(intent.claimId);
        return { kind: 'ended', claim: old, how: intent.type === 'release' ? 'release' : intent.result };
      }
      case 'snapshot': {
        const keep = new Set(intent.claimIds);
        let forgotten = 0;
        for (const id of [...claims.keys()])
          if (!keep.has(id)) {
            claims.delete(id);
            forgotten++;
          }
        return { kind: 'reconciled', node, forgotten };
      }
      default:
        return null;
    }
  }

  /** Forget every claim of `node` (it restarted). */
  forget(node: string): number {
    const n = this.byNode.get(node)?.size ?? 0;
    this.byNode.delete(node);
    return n;
  }

  /** Drop claims lapsed at `nowMs`; returns them. */
  purge(nowMs: number): HeldClaim[] {
    const gone: HeldClaim[] = [];
    for (const claims of this.byNode.values())
      for (const [id, c] of claims)
        if (nowMs >= c.expiresAtMs) {
          claims.delete(id);
          gone.push(c);
        }
    return gone;
  }

  /** The claims of `node`, in arrival order. */
  claimsOf(node: string): HeldClaim[] {
    return [...(this.byNode.get(node)?.values() ?? [])];
  }

  get(node: string, claimId: string): HeldClaim | undefined {
    return this.byNode.get(node)?.get(claimId);
  }

  /** Every claim of the nodes `include` says yes to. */
  all(include: (node: string) => boolean): HeldClaim[] {
    const out: HeldClaim[] = [];
    for (const [node, claims] of this.byNode) if (include(node)) out.push(...claims.values());
    return out;
  }
}
