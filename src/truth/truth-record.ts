/**
 * Records of the simulator's truth log (JSONL, one record per line). Only reports and tests read
 * it — never the host: the host learns outcomes through the radar, as on a real bench.
 *
 * Every record has `kind` and `tUs`, the world (shared-clock) time in microseconds since the
 * simulator's power-on. In virtual-time lockstep the host runs on the same clock, so `tUs` is
 * also host time. Positions are local ENU metres.
 */

export interface EnuPoint {
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
}

export type TruthIff = 'hostile' | 'friendly' | 'unknown';

/** First record: what ran. */
export interface RunStartRecord {
  readonly kind: 'run-start';
  readonly tUs: number;
  readonly scenario: string;
  readonly seed: number;
  readonly durationS: number;
  readonly clock: 'real' | 'virtual';
  readonly targets: readonly { readonly targetId: string; readonly iff: TruthIff; readonly targetKind: string }[];
  readonly devices: readonly string[];
}

/** A truth sample of one flying target. */
export interface TargetSampleRecord extends EnuPoint {
  readonly kind: 'target';
  readonly tUs: number;
  readonly targetId: string;
  readonly iff: TruthIff;
  readonly eastMps: number;
  readonly northMps: number;
  readonly upMps: number;
}

/**
 * A launch: a FIRE executed and its interceptor left the rail (`tUs`, after the launch delay).
 * `executedUs` is the world instant of execution (the launch instant the host planned);
 * `errorUs` = executed − planned, world time: the launcher's own execution error.
 */
export interface LaunchRecord {
  readonly kind: 'launch';
  readonly tUs: number;
  /** World time the FIRE executed (ignition). */
  readonly executedUs: number;
  readonly launcherId: string;
  readonly commandId: number;
  readonly trackId: number;
  readonly interceptorId: string;
  /** The FIRE's execute-at, launcher clock. */
  readonly executeAtUs: number;
  /** The launcher clock when it executed (FIRE_REPORT actualTimeUs). */
  readonly launcherTimeUs: number;
  /** executeAtUs converted to world time through the launcher's true clock model. */
  readonly plannedWorldUs: number;
  readonly errorUs: number;
  readonly aim: EnuPoint;
  readonly roundsRemaining: number;
  /** When the FIRE frame was received (world time). */
  readonly receivedUs: number;
}

/** An accepted FIRE that did not launch: aborted while pending or while firing, or a misfire. */
export interface FireCancelledRecord {
  readonly kind: 'fire-cancelled';
  readonly tUs: number;
  readonly launcherId: string;
  readonly commandId: number;
  readonly result: 'aborted' | 'misfire';
  readonly cause: 'abort' | 'safe' | 'watchdog' | 'misfire-pointing' | 'fault';
  /** Whether it had already executed (FIRING, launch delay running) when cancelled. */
  readonly whileFiring: boolean;
}

/** Every FIRE frame the launcher decoded, and what it did with it. */
export interface FireReceivedRecord {
  readonly kind: 'fire-received';
  readonly tUs: number;
  readonly launcherId: string;
  readonly commandId: number;
  readonly seq: number;
  readonly retransmission: boolean;
  readonly executeAtUs: number;
  readonly launcherTimeUs: number;
  /** `accepted`, `replayed` (a retransmission answered again), or `nak:<reason>`. */
  readonly outcome: string;
  readonly linkDown: boolean;
}

/** A FIRE received while the link was down: the host sent to a lost link (ICD-HOST-001). Never expected. */
export interface FireWhileLinkDownRecord {
  readonly kind: 'fire-while-link-down';
  readonly tUs: number;
  readonly launcherId: string;
  readonly commandId: number;
}

/** A command id that launched more than once. Never expected (ICD-CMN-008, ICD-LNCH-008). */
export interface DuplicateExecutionRecord {
  readonly kind: 'duplicate-execution';
  readonly tUs: number;
  readonly launcherId: string;
  readonly commandId: number;
  readonly executions: number;
}

/** End of an interceptor: its closest approach to any target over its flight. */
export interface ClosestApproachRecord {
  readonly kind: 'closest-approach';
  readonly tUs: number;
  readonly interceptorId: string;
  readonly launcherId: string;
  readonly commandId: number;
  /** Nearest target over the flight (null when none flew at the same time). */
  readonly targetId: string | null;
  readonly missM: number | null;
  /** When the closest approach happened. */
  readonly atUs: number | null;
  readonly end: 'detonated' | 'flight-time' | 'ground' | 'run-end';
}

/** A target destroyed within an interceptor's lethal radius. */
export interface KillRecord {
  readonly kind: 'kill';
  readonly tUs: number;
  readonly targetId: string;
  readonly iff: TruthIff;
  readonly interceptorId: string;
  readonly launcherId: string;
  readonly commandId: number;
  readonly missM: number;
  readonly position: EnuPoint;
}

/** A friendly target destroyed. Never expected. */
export interface FriendlyKillRecord {
  readonly kind: 'friendly-kill';
  readonly tUs: number;
  readonly targetId: string;
  readonly interceptorId: string;
  readonly launcherId: string;
  readonly commandId: number;
}

/** A joint run: another node's interceptor destroyed the target (one sky, a world per node). Not this world's kill. */
export interface DestroyedElsewhereRecord {
  readonly kind: 'destroyed-elsewhere';
  readonly tUs: number;
  readonly targetId: string;
  readonly iff: 'hostile' | 'friendly' | 'unknown';
  readonly position: { readonly eastM: number; readonly northM: number; readonly upM: number };
}

/** A target reached the ground; a hostile one is a leaker. */
export interface ImpactRecord {
  readonly kind: 'impact';
  readonly tUs: number;
  readonly targetId: string;
  readonly iff: TruthIff;
  readonly leaker: boolean;
  readonly position: EnuPoint;
}

/** A fault started or ended on a device. */
export interface FaultRecord {
  readonly kind: 'fault';
  readonly tUs: number;
  readonly deviceId: string;
  readonly fault: string;
  readonly phase: 'start' | 'end';
}

/** A launcher state or watchdog change. */
export interface LauncherStateRecord {
  readonly kind: 'launcher-state';
  readonly tUs: number;
  readonly launcherId: string;
  readonly deviceTimeUs: number;
  readonly state: string;
  readonly watchdog: string;
  readonly cause: string;
}

/** Last record: totals, counted from truth (the safety counters). */
export interface RunEndRecord {
  readonly kind: 'run-end';
  readonly tUs: number;
  readonly hostiles: number;
  readonly hostilesKilled: number;
  readonly leakers: number;
  readonly friendlyKills: number;
  readonly launches: number;
  readonly duplicateExecutions: number;
  readonly firesWhileLinkDown: number;
  readonly targetsFlying: number;
}

export type TruthRecord =
  | RunStartRecord
  | TargetSampleRecord
  | LaunchRecord
  | FireCancelledRecord
  | FireReceivedRecord
  | FireWhileLinkDownRecord
  | DuplicateExecutionRecord
  | ClosestApproachRecord
  | KillRecord
  | FriendlyKillRecord
  | DestroyedElsewhereRecord
  | ImpactRecord
  | FaultRecord
  | LauncherStateRecord
  | RunEndRecord;

export type TruthRecordKind = TruthRecord['kind'];
