import type { ControlInput } from '../control/index.js';
import type { TickLoop, TickLoopFault, TickLoopMetrics } from '../control/realtime/index.js';
import type { LauncherController, RadarController } from '../devices/index.js';
import type { RunRecorder } from '../record/run-recorder.js';
import type { Clock } from '../time/clock.js';
import { CommandDispatcher } from './command-dispatcher.js';
import { DeviceInputAdapter } from './device-input-adapter.js';
import { RunStatistics } from './run-statistics.js';
import { SameThreadChannel } from './same-thread-channel.js';
import { ThreatRecordPacer } from './threat-record.js';
import {
  type BusyTickRecord,
  busyTickJson,
  type CoreSnapshot,
  decodeJsonTickOutput,
  encodeJsonRecord,
  isIdleTickBytes,
  isSnapshot,
  readIdleTick,
} from './tick-record-codec.js';

/** Who else wants to see what the session does (the MQTT bridge, the progress line). */
export interface SessionObserver {
  onBusyTick?(record: BusyTickRecord): void;
  onSnapshot?(snapshot: CoreSnapshot['snapshot']): void;
  onFault?(fault: TickLoopFault): void;
}

/** Options of {@link HilSession}. */
export interface HilSessionOptions {
  readonly clock: Clock;
  readonly radars: ReadonlyMap<string, RadarController>;
  readonly launchers: ReadonlyMap<string, LauncherController>;
  /** The control core's tick loop (virtual driver or real-time worker) running the control handler. */
  readonly loop: TickLoop;
  readonly recorder?: RunRecorder;
  /** The same object the control tick handler got, when it runs on this thread (virtual time). */
  readonly sameThread?: SameThreadChannel;
  readonly observers?: readonly SessionObserver[];
  /** Diagnostics (one line each). */
  readonly log?: (line: string) => void;
}

/**
 * One HIL session on the host side: drivers → inputs → control core (in its tick loop) →
 * commands → drivers, with every tick recorded. It knows nothing of where the devices are
 * (simulator or hardware): the composition root hands it started-or-not drivers.
 *
 * Contract: `start()` starts every driver; the loop must already be running. Inputs pushed when
 * the input ring is full are counted as overflows by the loop (never silently lost).
 * `stop()` stops the loop first (no new commands), then stops every driver — the launcher
 * driver sends SAFE on stop — and closes the recording. Idempotent.
 */
export class HilSession {
  readonly inputs: DeviceInputAdapter;
  readonly dispatcher: CommandDispatcher;
  readonly statistics = new RunStatistics();
  private stopped = false;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly observers: SessionObserver[];
  private readonly idle = { tick: 0, nowUs: 0 };
  private readonly threatRecords = new ThreatRecordPacer();

  constructor(private readonly options: HilSessionOptions) {
    const log = options.log ?? (() => undefined);
    this.observers = [...(options.observers ?? [])];
    this.inputs = new DeviceInputAdapter(options.clock, (input) => this.pushInput(input));
    for (const [id, radar] of options.radars) this.inputs.attachRadar(id, radar);
    for (const [id, launcher] of options.launchers) this.inputs.attachLauncher(id, launcher);
    this.dispatcher = new CommandDispatcher(options.launchers, this.inputs, () => options.clock.nowUs(), log);
    this.unsubscribe.push(options.loop.onOutput((bytes) => this.onOutput(bytes)));
    this.unsubscribe.push(
      options.loop.onFault((fault) => {
        log(`tick loop fault ${fault.code}: ${'message' in fault ? String(fault.message) : ''}`);
        for (const observer of this.observers) observer.onFault?.(fault);
      }),
    );
  }

  /** Add an observer (e.g. the MQTT bridge publisher) after construction. */
  addObserver(observer: SessionObserver): void {
    this.observers.push(observer);
  }

  /** Start every driver (they connect, handshake and reconnect on their own). */
  async start(): Promise<void> {
    await Promise.all([...this.options.radars.values(), ...this.options.launchers.values()].map((d) => d.start()));
  }

  /** Hand one input to the core (used by the operator command path too). */
  pushInput(input: ControlInput): void {
    if (this.stopped) return;
    const sameThread = this.options.sameThread;
    if (sameThread === undefined) this.options.loop.pushInput(encodeJsonRecord(input));
    else {
      const text = JSON.stringify(input);
      if (this.options.loop.pushInput(sameThread.marker)) sameThread.putInput(text);
    }
  }

  /** Stop the loop, SAFE and stop the drivers; returns the loop's final metrics. */
  async stop(): Promise<TickLoopMetrics | undefined> {
    if (this.stopped) return undefined;
    this.stopped = true;
    const metrics = await this.options.loop.stop();
    for (const off of this.unsubscribe) off();
    await Promise.all([...this.options.launchers.values(), ...this.options.radars.values()].map((d) => d.stop()));
    return metrics;
  }

  /** Returns false when the record started no asynchronous work (idle ticks, snapshots). */
  private onOutput(bytes: Uint8Array): boolean {
    if (isIdleTickBytes(bytes)) {
      readIdleTick(bytes, this.idle);
      this.options.recorder?.recordIdleTick(this.idle.tick, this.idle.nowUs);
      return false;
    }
    let record: BusyTickRecord | CoreSnapshot;
    let text: string | undefined;
    if (SameThreadChannel.isMarker(bytes) && this.options.sameThread !== undefined) {
      const value = this.options.sameThread.takeOutput();
      if ('snapshot' in value) record = value;
      else {
        record = value.busy;
        if (this.options.recorder !== undefined) text = busyTickJson(value.busy, value.inputTexts);
      }
    } else {
      ({ record, text } = decodeJsonTickOutput(bytes));
    }
    if (isSnapshot(record)) {
      if (this.options.recorder !== undefined) this.threatRecords.offer(record.snapshot, this.options.recorder);
      // Observers' onSnapshot must be synchronous (enqueue only).
      for (const observer of this.observers) observer.onSnapshot?.(record.snapshot);
      return false;
    }
    this.options.recorder?.recordTick(record.tick, record.nowUs, record.inputs, record.commands, record.events, text);
    this.statistics.addTick(record);
    // After a stop() has begun, the core's last outputs are recorded but no longer sent.
    if (!this.stopped) for (const command of record.commands) this.dispatcher.dispatch(command);
    for (const observer of this.observers) observer.onBusyTick?.(record);
    return true;
  }
}
