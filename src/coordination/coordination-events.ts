import type { DropReason } from '../sharing/index.js';
import type { CoordinationLinkChange } from './partner-links.js';
import type { RequestState } from './partner-requests.js';

/** Two committed claims of different nodes on the same threat: a duplicate engagement. */
export interface DuplicateEngagementEvent {
  readonly kind: 'duplicate-engagement';
  readonly atMs: number;
  /** `node:claimId` of both claims, sorted. */
  readonly claims: readonly [string, string];
  /** `linked`: coordination was live at both FIREs (a defect of the rule or of its timing); `lost`: it was not. */
  readonly coordination: 'linked' | 'lost';
}

/** This node fired on a threat a partner owned, because its own must-fire-by instant had come. */
export interface MustFireEvent {
  readonly kind: 'must-fire';
  readonly atMs: number;
  readonly claimId: string;
  readonly trackId: number;
  readonly ownerNode: string;
  readonly ownerClaimId: string;
}

export interface RequestReceivedEvent {
  readonly kind: 'request-received';
  readonly atMs: number;
  readonly from: string;
  readonly requestId: string;
  readonly localTrackId: number | null;
}

export interface RequestAnsweredEvent {
  readonly kind: 'request-answered';
  readonly atMs: number;
  /** The requesting partner (for a request this node answered) or this node's partner that answered. */
  readonly from: string;
  readonly requestId: string;
  readonly answer: Exclude<RequestState, 'pending'>;
  readonly operatorIds: readonly string[];
}

export interface IntentDroppedEvent {
  readonly kind: 'intent-dropped';
  readonly atMs: number;
  readonly partnerId: string | null;
  readonly reason: DropReason;
  readonly detail: string;
}

export interface ClaimsReconciledEvent {
  readonly kind: 'claims-reconciled';
  readonly atMs: number;
  readonly partnerId: string;
  /** Claims of the partner held here that its snapshot no longer lists. */
  readonly forgotten: number;
}

/** A committed engagement (own or a verified partner's) ended in a kill: the node holds fire on the threat for the kill-assessment window. */
export interface ThreatKilledEvent {
  readonly kind: 'threat-killed';
  readonly atMs: number;
  readonly node: string;
  readonly claimId: string;
  /** UTC ms the hold ends (never past the node's own must-fire-by instant for a track of it). */
  readonly untilMs: number;
}

/**
 * What coordination reports, for status, the display and the recording. Plain JSON data; the
 * agent hands them out once, from `tick()`.
 */
export type CoordinationEvent =
  | CoordinationLinkChange
  | DuplicateEngagementEvent
  | MustFireEvent
  | RequestReceivedEvent
  | RequestAnsweredEvent
  | IntentDroppedEvent
  | ClaimsReconciledEvent
  | ThreatKilledEvent;
