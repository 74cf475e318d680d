import type { EngagementEndReason } from './control-commands.js';
import type {
  ControlInput,
  IffClass,
  NakReason,
  OperatorCommand,
  TrackDropReason,
  WeaponsControlStatus,
} from './control-inputs.js';

/**
 * What happened in a tick, for the bridge, the recorder and tests. Every event carries `seq`, a
 * per-core sequence number (1, 2, 3, ... with no gaps, so consumers detect loss), and `atUs`, the
 * `nowUs` of the tick that produced it. Events are plain JSON data, never mutated after emission.
 */
export type ControlEvent =
  | WeaponsControlEvent
  | OperatorCommandResultEvent
  | InputRejectedEvent
  | TrackEvent
  | LauncherReadinessEvent
  | EngagementEvent;

export interface EventEnvelope {
  readonly seq: number;
  readonly atUs: number;
}

/** Weapons control status changed (only ever by an authorised operator command). */
export interface WeaponsControlEvent extends EventEnvelope {
  readonly kind: 'weapons-control';
  readonly from: WeaponsControlStatus;
  readonly to: WeaponsControlStatus;
  readonly requestId: string;
  readonly operatorIds: readonly string[];
}

export type OperatorRejectReason =
  | 'no-operator'
  | 'not-enough-operators'
  | 'unknown-track'
  | 'track-friendly'
  | 'not-authorized-by-weapons-control'
  | 'unknown-engagement'
  | 'too-late'
  | 'malformed';

/** Answer to an operator command, echoing its request id. */
export interface OperatorCommandResultEvent extends EventEnvelope {
  readonly kind: 'operator-command-result';
  readonly requestId: string;
  readonly verb: OperatorCommand['verb'];
  readonly result: 'accepted' | 'rejected';
  readonly reason: OperatorRejectReason | null;
  readonly operatorIds: readonly string[];
}

export type InputRejectReason =
  'unknown-radar' | 'unknown-launcher' | 'malformed' | 'out-of-sequence' | 'track-table-full' | 'unknown-fire-command';

/** An input the core ignored, and why. */
export interface InputRejectedEvent extends EventEnvelope {
  readonly kind: 'input-rejected';
  readonly inputKind: ControlInput['kind'];
  readonly sourceId: string;
  readonly inputSeq: number;
  readonly reason: InputRejectReason;
}

export type TrackTransition =
  | 'created'
  | 'associated'
  | 'link-dropped'
  | 'confirmed'
  | 'classified'
  | 'iff-changed'
  | 'coasting'
  | 'destroyed'
  | 'dropped';

export type TargetModel = 'constant-velocity' | 'ballistic';

/** A host track changed (not emitted for ordinary measurement updates). */
export interface TrackEvent extends EventEnvelope {
  readonly kind: 'track';
  readonly transition: TrackTransition;
  readonly trackId: number;
  /** The radar track concerned (created, associated, link-dropped), else null. */
  readonly radarId: string | null;
  readonly radarTrackId: number | null;
  readonly iff: IffClass;
  readonly model: TargetModel;
  /** Why a link or the track was dropped; `stale` when no radar reported it for too long. */
  readonly reason: TrackDropReason | 'stale' | null;
}

export type LauncherNotReadyReason =
  | 'launcher-no-status'
  | 'launcher-inactive'
  | 'link-not-fresh'
  | 'launcher-status-stale'
  | 'launcher-not-armed'
  | 'watchdog-tripped'
  | 'time-sync-out-of-bound'
  | 'no-rounds'
  /** Backing off after a refused FIRE (engagement.fireRefusalBackoffUs). */
  | 'fire-refused';

/** A launcher became ready to fire, or stopped being ready (with every failing condition). */
export interface LauncherReadinessEvent extends EventEnvelope {
  readonly kind: 'launcher-readiness';
  readonly launcherId: string;
  readonly ready: boolean;
  readonly reasons: readonly LauncherNotReadyReason[];
  /** Time-sync uncertainty the launcher last reported, us (null: none), and the budget it must be within. */
  readonly syncUncertaintyUs: number | null;
  readonly syncBudgetUs: number;
}

/**
 * Engagement state machine: planned → fire-sent → launched → assessed (kill | miss | lost),
 * or → aborted / failed from planned or fire-sent (launched or failed after link loss).
 * An aborted engagement whose launcher reports a launch anyway goes to launched.
 */
export type EngagementState = 'planned' | 'fire-sent' | 'launched' | 'assessed' | 'aborted' | 'failed';

export type EngagementTransition =
  'planned' | 'replanned' | 'fire-sent' | 'launched' | 'intercept-assessed' | 'aborted' | 'abort-confirmed' | 'failed';

export type InterceptResult = 'kill' | 'miss' | 'lost';

/** One engagement changed state; carries the whole engagement so each event stands alone. */
export interface EngagementEvent extends EventEnvelope {
  readonly kind: 'engagement';
  readonly transition: EngagementTransition;
  readonly engagementId: number;
  readonly trackId: number;
  readonly launcherId: string;
  readonly state: EngagementState;
  readonly fireCommandId: number | null;
  readonly launchAtHostUs: number;
  readonly interceptAtHostUs: number;
  readonly aimEastM: number;
  readonly aimNorthM: number;
  readonly aimUpM: number;
  /** Launch instant reported by the launcher (launched), else null. */
  readonly actualLaunchHostUs: number | null;
  readonly result: InterceptResult | null;
  readonly reason: EngagementEndReason | null;
  readonly nakReason: NakReason | null;
  /** Id of the ABORT or SAFE this transition emitted, else null. */
  readonly commandId: number | null;
}
