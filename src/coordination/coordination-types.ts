import type { PartnerHoldsInput } from '../control/index.js';
import type { CoordinationEvent } from './coordination-events.js';
import type { IntentPartner } from './intent-intake.js';
import type { EngagementIntentsPayload, MemberRef } from './intent-schema.js';

/** One of this node's threats as coordination must know it (from the joint picture). */
export interface ThreatView {
  /** The core's track id (the joint track id when the core works on the joint picture). */
  readonly trackId: number;
  /** What the track is made of: this node's own `{ node: self, trackId }` and the partner tracks fused with it. */
  readonly members: readonly MemberRef[];
  /**
   * UTC ms of this node's last launch opportunity against the track when it threatens one of
   * this node's own assets (else null): no partner claim holds fire past it.
   */
  readonly mustFireByMs: number | null;
}

/** Signs a payload with the node key (`NodeKey.signPayload`). */
export interface IntentSigner {
  signPayload<T extends object>(payload: T): T & { nodeSig: string };
}

export interface CoordinationOptions {
  readonly selfId: string;
  /** Unique per process start (`[A-Za-z0-9][A-Za-z0-9._:-]{0,63}`). */
  readonly bootId: string;
  readonly signer: IntentSigner;
  /** The partners and their node public keys' checks. */
  readonly partners: readonly IntentPartner[];
  /** The node's aim point (ENU of its site, m) → ECEF m. */
  readonly aimToEcef: (eastM: number, northM: number, upM: number) => readonly [number, number, number];
  /** Estimated single-shot kill probability published with claims (the doctrine's). */
  readonly killProbability: number;
  /** Partner coordination is lost after this long without a valid intent message, ms (default 3000). */
  readonly staleAfterMs?: number;
  /** An empty message goes out when nothing else has for this long, ms (default 1000). */
  readonly heartbeatMs?: number;
  /** Every live claim is restated this often, ms (default 5000), and whenever a partner comes back. */
  readonly snapshotEveryMs?: number;
  /** A claim lapses this long after its planned intercept unless a result ends it first, ms (default 5000). */
  readonly claimGraceMs?: number;
  /**
   * A threat whose committed engagement (own or a partner's) ended in `kill` draws no fire from
   * this node for this long, ms (default 8000: a killed target's track is dropped by the radar's
   * tracker (3 s), the partner's picture goes stale (3 s) and a track fed by it coasts (1.5 s)).
   */
  readonly killAssessmentMs?: number;
  /** A partner request lapses after this long, ms (default 10000). */
  readonly requestTtlMs?: number;
  /** Outgoing batches held while the link is down (default 256). */
  readonly maxSpool?: number;
  readonly futureToleranceMs?: number;
  readonly maxAgeMs?: number;
  readonly gapWaitMs?: number;
  /** `sourceId` of the `partner-holds` inputs (default `coordination`). */
  readonly holdsSourceId?: string;
}

/** A message to publish: QoS 1, not retained, on this node's `shared/engagements`. */
export interface OutgoingIntents {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly message: EngagementIntentsPayload;
}

/** What one {@link CoordinationAgent.tick} gives the caller. */
export interface CoordinationTick {
  readonly messages: readonly OutgoingIntents[];
  /** The core input to queue for this tick when the held set changed, else null. */
  readonly holds: PartnerHoldsInput | null;
  readonly events: readonly CoordinationEvent[];
}

/** Counters of coordination, for status and the run summary. */
export interface CoordinationCounters {
  /** Duplicate engagements (pairs of committed claims on one threat), by link state at the FIREs. */
  duplicateEngagements: { linked: number; lost: number };
  /** FIREs on a partner-owned threat made because the node's must-fire-by instant had come. */
  mustFireFires: number;
  /** Threats held as killed (kill assessment) after a committed engagement ended in a kill, own or a partner's. */
  killHolds: number;
  claimsSent: number;
  messagesSent: number;
  spoolDropped: number;
}
