import type {
  ControlCommand,
  ControlEvent,
  ControlInput,
  EngagementSnapshot,
  LauncherSnapshot,
  ThreatSnapshot,
  TrackCovarianceSnapshot,
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
    /** Threat evaluation of the live tracks (MQTT `threats`, the run file's `threats` lines). */
    readonly threats?: readonly ThreatSnapshot[];
    /** Track position variances (the tracker's NEES against truth). */
    readonly covariances?: readonly TrackCovarianceSnapshot[];
  };
}

export type TickOutputRecord = BusyTickRecord | IdleTickRecord | CoreSnapshot;

/**
 * Idle ticks (most of them) skip JSON: 17 bytes, a 0xFF marker (never the first byte of a JSON
 * record) then tick and nowUs as float64 little-endian.
 */
const IDLE_MARKER = 0xff;
const IDLE_BYTES = 17;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeIdleTick(tick: number, nowUs: number): Uint8Array {
  return new IdleTickEncoder().encode(tick, nowUs).slice();
}

/**
 * Encodes idle ticks into one array it owns and reuses (the tick loop copies every output, so
 * the handler need not allocate per tick): the result is valid until the next `encode`.
 */
export class IdleTickEncoder {
  private readonly bytes = new Uint8Array(IDLE_BYTES);
  private readonly view = new DataView(this.bytes.buffer);

  constructor() {
    this.bytes[0] = IDLE_MARKER;
  }

  encode(tick: number, nowUs: number): Uint8Array {
    this.view.setFloat64(1, tick, true);
    this.view.setFloat64(9, nowUs, true);
    return this.bytes;
  }
}

/** Whether `bytes` is an idle tick record (then read it with `readIdleTick`). */
export function isIdleTickBytes(bytes: Uint8Array): boolean {
  return bytes.length === IDLE_BYTES && bytes[0] === IDLE_MARKER;
}

/** Scratch for reading idle ticks without allocating a view per record. */
const idleScratch = new Uint8Array(16);
const idleScratchView = new DataView(idleScratch.buffer);

/** Tick index and nowUs of an idle tick record, into `out` (no allocation). */
export function readIdleTick(bytes: Uint8Array, out: { tick: number; nowUs: number }): void {
  for (let i = 0; i < 16; i++) idleScratch[i] = bytes[i + 1]!;
  out.tick = idleScratchView.getFloat64(0, true);
  out.nowUs = idleScratchView.getFloat64(8, true);
}

/** Decode any output record (idle binary or JSON). */
export function decodeTickOutput(bytes: Uint8Array): TickOutputRecord {
  if (isIdleTickBytes(bytes)) {
    const idle = { tick: 0, nowUs: 0 };
    readIdleTick(bytes, idle);
    return [idle.tick, idle.nowUs];
  }
  return decodeJsonRecord<TickOutputRecord>(bytes);
}

/**
 * Encode a busy tick. The key order is part of the contract: the recorder's `tick` line is this
 * text with `"kind":"tick",` spliced in first (see RunRecorder.recordTick's `json`).
 */
export function encodeBusyTick(
  tick: number,
  nowUs: number,
  inputs: readonly ControlInput[],
  commands: readonly ControlCommand[],
  events: readonly ControlEvent[],
): Uint8Array {
  const record: BusyTickRecord = { tick, nowUs, inputs, commands, events };
  return encodeJsonRecord(record);
}

/**
 * A JSON output record with its text: busy-tick records' text is exactly
 * `JSON.stringify({tick, nowUs, inputs, commands, events})`, which the recorder splices into
 * its line instead of serialising the record again.
 */
export function decodeJsonTickOutput(bytes: Uint8Array): { record: BusyTickRecord | CoreSnapshot; text: string } {
  const text = decoder.decode(bytes);
  return { record: JSON.parse(text) as BusyTickRecord | CoreSnapshot, text };
}

export function encodeJsonRecord(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJsonRecord<T>(bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T;
}

/** The JSON text of a record (UTF-8). */
export function decodeJsonText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * The text `encodeBusyTick` would give (and so what the recorder splices), built from the
 * inputs' own JSON texts: `inputTexts[i]` must be `JSON.stringify(inputs[i])`.
 */
export function busyTickJson(busy: BusyTickRecord, inputTexts: readonly string[]): string {
  return `{"tick":${JSON.stringify(busy.tick)},"nowUs":${JSON.stringify(busy.nowUs)},"inputs":[${inputTexts.join(',')}],"commands":${JSON.stringify(busy.commands)},"events":${JSON.stringify(busy.events)}}`;
}

export function isIdleTick(record: TickOutputRecord): record is IdleTickRecord {
  return Array.isArray(record);
}

export function isSnapshot(record: TickOutputRecord): record is CoreSnapshot {
  return !Array.isArray(record) && 'snapshot' in record;
}
