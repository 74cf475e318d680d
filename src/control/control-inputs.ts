import type {
  IFF_CLASSES,
  LAUNCHER_STATES,
  NAK_REASONS,
  TRACK_DROP_REASONS,
  WATCHDOG_STATES,
} from '../protocol/index.js';

/**
 * What the core is told, since its last tick. Every input is plain JSON data (finite numbers, no
 * `undefined` fields) so a run file can hold it exactly. All times are **host** monotonic
 * microseconds: drivers convert device times through their time sync before handing data over.
 *
 * Ordering: `step()` processes a tick's inputs sorted by (`receivedAtUs`, `sourceId` in UTF-16
 * code-unit order, `seq`), ties kept in the order given. Producers number their inputs per source
 * (`seq` increasing), which makes the order total and independent of how the inputs were queued.
 */
export type ControlInput =
  | TrackMeasurementInput
  | TrackDropInput
  | LauncherStatusInput
  | FireOutcomeInput
  | OperatorCommandInput
  | PartnerHoldsInput;

/** Fields every input carries; they decide processing order. */
export interface InputEnvelope {
  /** Host time at which the producer received the data (driver frame time, bridge receipt). */
  readonly receivedAtUs: number;
  /** Producer id, e.g. the radar or launcher id, or `operator` for authorised commands. */
  readonly sourceId: string;
  /** Per-source sequence number, increasing. */
  readonly seq: number;
}

export type IffClass = (typeof IFF_CLASSES)[number];
export type TrackDropReason = (typeof TRACK_DROP_REASONS)[number];
export type LauncherState = (typeof LAUNCHER_STATES)[number];
export type WatchdogState = (typeof WATCHDOG_STATES)[number];
export type NakReason = (typeof NAK_REASONS)[number];

/** One radar measurement of one radar track (a TRACK_REPORT in host time). */
export interface TrackMeasurementInput extends InputEnvelope {
  readonly kind: 'track-measurement';
  /** Configured radar id; reports from unknown radars are rejected. */
  readonly radarId: string;
  /** The radar's own track number (u32, never reused while the radar runs). */
  readonly radarTrackId: number;
  /** Measurement instant, host time. */
  readonly measurementTimeUs: number;
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
  readonly eastMps: number;
  readonly northMps: number;
  readonly upMps: number;
  /** 1-sigma position uncertainty per axis, > 0. */
  readonly positionSigmaM: number;
  /** 1-sigma velocity uncertainty per axis, > 0. */
  readonly velocitySigmaMps: number;
  /** Radar track quality 0..100. */
  readonly quality: number;
  readonly iff: IffClass;
}

/** The radar stopped reporting a radar track (TRACK_DROP in host time). */
export interface TrackDropInput extends InputEnvelope {
  readonly kind: 'track-drop';
  readonly radarId: string;
  readonly radarTrackId: number;
  readonly dropTimeUs: number;
  /** `destroyed` is the radar's kill evidence. */
  readonly reason: TrackDropReason;
}

/**
 * A launcher's state as the driver sees it. The driver forwards every LAUNCHER_STATUS (at least
 * every 100 ms, ICD-LNCH-001) and every change of lifecycle, link or sync state; a launcher whose
 * latest status is older than `engagement.launcherStatusMaxAgeUs` counts as not ready.
 */
export interface LauncherStatusInput extends InputEnvelope {
  readonly kind: 'launcher-status';
  readonly launcherId: string;
  /** Host time of the status (device time converted). */
  readonly statusTimeUs: number;
  /** Driver lifecycle is `active` (handshaken, schema matched). */
  readonly lifecycleActive: boolean;
  /** Heartbeats and frames arrive within the supervision bound. */
  readonly linkFresh: boolean;
  /** Current time-sync uncertainty bound, or null when the driver has no sync. */
  readonly timeSyncUncertaintyUs: number | null;
  readonly state: LauncherState;
  readonly roundsReady: number;
  readonly watchdog: WatchdogState;
  readonly azimuthDeg: number;
  readonly elevationDeg: number;
}

/** What became of a FIRE: from FIRE_REPORT, a NAK, or the driver giving up on the link. */
export type FireOutcome =
  | { readonly result: 'launched'; readonly actualLaunchHostUs: number; readonly roundsRemaining: number }
  | { readonly result: 'refused'; readonly nakReason: NakReason }
  | { readonly result: 'aborted'; readonly roundsRemaining: number }
  | { readonly result: 'misfire'; readonly roundsRemaining: number }
  /** The link went down with the FIRE unanswered: it may or may not have executed. */
  | { readonly result: 'link-lost' };

export interface FireOutcomeInput extends InputEnvelope {
  readonly kind: 'fire-outcome';
  readonly launcherId: string;
  readonly fireCommandId: number;
  readonly outcome: FireOutcome;
}

export type WeaponsControlStatus = 'hold' | 'tight' | 'free';

/**
 * Operator orders. `engage-track` gives a track operator priority (and lifts a hold on it);
 * `hold-fire` stops engaging a track and ABORTs a FIRE already sent; `cease-fire` stops engaging
 * a track but lets a FIRE already sent go (it is committed); both last until `engage-track`.
 * `abort-engagement` ends one engagement (ABORT if its FIRE was sent); the track may be engaged
 * again by the automatic policy — use `hold-fire` to prevent that.
 */
export type OperatorCommand =
  | { readonly verb: 'set-weapons-control'; readonly status: WeaponsControlStatus }
  | { readonly verb: 'engage-track'; readonly trackId: number }
  | { readonly verb: 'hold-fire'; readonly trackId: number }
  | { readonly verb: 'cease-fire'; readonly trackId: number }
  | { readonly verb: 'abort-engagement'; readonly engagementId: number };

/**
 * An operator command that has been authenticated outside the core (bridge, scenario script).
 * The core records who authorised it and enforces its own rules (e.g. FREE needs
 * `engagement.minOperatorsForFree` distinct operators); the result is an event echoing `requestId`.
 */
export interface OperatorCommandInput extends InputEnvelope {
  readonly kind: 'operator-command';
  readonly requestId: string;
  /** Distinct operators who authorised it; empty is rejected. */
  readonly operatorIds: readonly string[];
  readonly command: OperatorCommand;
}

/**
 * The tracks a partner node has engaged under the joint deconfliction rule (docs/decisions/0024),
 * from the coordination layer: the complete set, replacing the previous one. The core holds fire
 * on each track while `nowUs < untilUs` (no new engagement; a planned one is dropped with reason
 * `partner-engages`; a FIRE already sent goes on). Nothing else: a hold never arms, slews or fires.
 * At most 4,096 holds; track ids are u32 and `untilUs` finite, else the input is malformed.
 */
export interface PartnerHoldsInput extends InputEnvelope {
  readonly kind: 'partner-holds';
  readonly holds: readonly { readonly trackId: number; readonly untilUs: number }[];
}
