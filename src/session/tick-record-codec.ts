import type {
  ControlCommand,
  ControlEvent,
  ControlInput,
  EngagementSnapshot,
  LauncherSnapshot,
  TrackSnapshot,
  WeaponsControlStatus,
} from '../control/index.js';

/**
 * What crosses the tick loop's rings, as JSON bytes: control inputs one per record going in, and
 * per tick one record coming out. JSON because every input and output is JSON-exact plain data
 * (the core guarantees it) and the same values are what the recorder writes.
 */

/** A tick that saw inputs or produced outputs. */
export interface BusyTickRecord {
  readonly tick: number;
  readonly nowUs: number;
  /** Inputs in the order the core processed them (it sorts them itself). */
  readonly inputs: readonly ControlInput[];
  readonly commands: readonly ControlCommand[];
  readonly events: readonly ControlEvent[];
}

/** A tick that did nothing: `[tick, nowUs]`. */
export type IdleTickRecord = readonly [number, number];

/**
 * The core's picture, emitted every `snapshotPeriodUs` for the bridge, the display and the
 * progress line. Derived data: not recorded (replay recomputes it).
 */
export interface CoreSnapshot {
  readonly snapshot: {
    readonly nowUs: number;
    readonly weaponsControlStatus: WeaponsControlStatus;
    readonly tracks: readonly TrackSnapshot[];
    readonly engagements: readonly EngagementSnapshot[];
    readonly launchers: readonly LauncherSnapshot[];
  };
}

export type TickOutputRecord = BusyTickRecord | IdleTickRecord | CoreSnapshot;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeJsonRecord(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJsonRecord<T>(bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T;
}

export function isIdleTick(record: TickOutputRecord): record is IdleTickRecord {
  return Array.isArray(record);
}

export function isSnapshot(record: TickOutputRecord): record is CoreSnapshot {
  return !Array.isArray(record) && 'snapshot' in record;
}
