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

/**
 * Idle ticks (most of them) skip JSON: 17 bytes, a 0xFF marker (never the first byte of a JSON
 * record) then tick and nowUs as float64 little-endian.
 */
const IDLE_MARKER = 0xff;
const IDLE_BYTES = 17;

export function encodeIdleTick(tick: number, nowUs: number): Uint8Array {
  const bytes = new Uint8Array(IDLE_BYTES);
  const view = new DataView(bytes.buffer);
  bytes[0] = IDLE_MARKER;
  view.setFloat64(1, tick, true);
  view.setFloat64(9, nowUs, true);
  return bytes;
}

/** Decode any output record (idle binary or JSON). */
export function decodeTickOutput(bytes: Uint8Array): TickOutputRecord {
  if (bytes.length === IDLE_BYTES && bytes[0] === IDLE_MARKER) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return [view.getFloat64(1, true), view.getFloat64(9, true)];
  }
  return decodeJsonRecord<TickOutputRecord>(bytes);
}

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
