import { type Clock, SYNC_ONLY, type TimerHandle } from '../../time/clock.js';
import { LatencyHistogram } from './latency-histogram.js';
import { loadTickHandler } from './load-tick-handler.js';
import { RealtimeError } from './realtime-error.js';
import { LocalRecordQueue } from './record-queue.js';
import { TickLoopListeners } from './tick-loop-listeners.js';
import { TickExecutor } from './tick-executor.js';
import type { TickHandler } from './tick-handler.js';
import type { TickLoop, TickLoopFault, TickLoopMetrics, TickLoopState } from './tick-loop.js';
import { firstDeadline, nextTickAfter, OVERRUN_POLICIES, type OverrunPolicy } from './tick-schedule.js';

/** Options of `VirtualTickDriver.start`. Give `handlerModule` (as `RealtimeLoop`) or `handler`. */
export interface VirtualTickDriverOptions {
  /** The clock whose timers drive the ticks: a `VirtualClock` for deterministic runs. */
  readonly clock: Clock;
  /** The handler module, imported in this thread (same module as for `RealtimeLoop`). */
  readonly handlerModule?: URL | string;
  /** Passed to the module's factory. */
  readonly handlerData?: unknown;
  /** Or a handler built already (then `handlerModule` must be absent). */
  readonly handler?: TickHandler;
  /** Tick period, microseconds (default 1000). */
  readonly periodUs?: number;
  readonly overrunPolicy?: OverrunPolicy;
  /** Data bytes of the input ring (default 256 KiB), so overflow behaves as in real time. */
  readonly inputRingBytes?: number;
  /** Data bytes of the output ring (default 256 KiB). */
  readonly outputRingBytes?: number;
}

const DEFAULT_RING_BYTES = 256 * 1024;

/**
 * The virtual-time twin of `RealtimeLoop`: the same handler, the same ring accounting and the same
 * `TickLoop` interface, but no worker — a Clock timer calls the handler at each deadline
 * `firstDeadlineUs + k·periodUs` on this thread. On a `VirtualClock` the run is deterministic:
 * same inputs at the same virtual instants ⇒ same handler calls and the same outputs, byte for
 * byte, at any speed (what `shieldlink run --virtual-time` and CI use).
 *
 * Contract: see `TickLoop`. Also:
 * - The first deadline is the first multiple of the period at least one period after `start`
 *   (the same rule as in real time).
 * - Inputs pushed before a tick's timer fires are seen by that tick. Outputs are delivered to
 *   `onOutput` listeners synchronously at the end of the tick that wrote them, at the same
 *   virtual instant.
 * - Lateness and compute time are measured on the clock: both are 0 on a `VirtualClock`. With a
 *   real clock this is a soft, timer-driven loop without isolation — not for the bench.
 * - `ioStalled` is always false and `ioEventLoopDelayUs` null: virtual time has no I/O thread to
 *   stall.
 */
export class VirtualTickDriver implements TickLoop {
  private stateNow: TickLoopState = 'running';
  private readonly listeners = new TickLoopListeners();
  private readonly lateness = new LatencyHistogram();
  private readonly compute = new LatencyHistogram();
  private readonly executor: TickExecutor;
  private readonly next = { index: 0, missed: 0 };
  private timer: TimerHandle | null = null;
  /** The tick the pending timer runs (fields, so scheduling allocates no closure). */
  private readonly pending = { index: 0, deadlineUs: 0, missedBefore: 0 };
  private readonly onTimer = (): typeof SYNC_ONLY | undefined =>
    this.tick(this.pending.index, this.pending.deadlineUs, this.pending.missedBefore);
  private ticks = 0;
  private missedTicks = 0;
  private overruns = 0;
  /** Deadline of tick 0, clock microseconds. */
  readonly firstDeadlineUs: number;

  private constructor(
    private readonly clock: Clock,
    handler: TickHandler,
    private readonly periodUs: number,
    private readonly overrunPolicy: OverrunPolicy,
    private readonly inputRing: LocalRecordQueue,
    private readonly outputRing: LocalRecordQueue,
  ) {
    this.executor = new TickExecutor(handler, inputRing, outputRing, periodUs);
    this.firstDeadlineUs = firstDeadline(clock.nowUs(), periodUs);
    this.schedule(0, 0);
  }

  /** Build the handler (importing its module if given) and schedule the first tick. */
  static async start(options: VirtualTickDriverOptions): Promise<VirtualTickDriver> {
    const periodUs = options.periodUs ?? 1_000;
    const overrunPolicy = options.overrunPolicy ?? 'skip';
    if (!(Number.isFinite(periodUs) && periodUs > 0))
      throw new RealtimeError('ERR_TICK_CONFIG', 'periodUs must be > 0');
    if (!OVERRUN_POLICIES.includes(overrunPolicy)) {
      throw new RealtimeError('ERR_TICK_CONFIG', `unknown overrun policy ${String(overrunPolicy)}`);
    }
    if ((options.handler === undefined) === (options.handlerModule === undefined)) {
      throw new RealtimeError('ERR_TICK_CONFIG', 'give exactly one of handler and handlerModule');
    }
    const inputRing = new LocalRecordQueue(options.inputRingBytes ?? DEFAULT_RING_BYTES);
    const outputRing = new LocalRecordQueue(options.outputRingBytes ?? DEFAULT_RING_BYTES);
    const handler = options.handler ?? (await loadTickHandler(options.handlerModule!, options.handlerData));
    return new VirtualTickDriver(options.clock, handler, periodUs, overrunPolicy, inputRing, outputRing);
  }

  get state(): TickLoopState {
    return this.stateNow;
  }

  pushInput(record: Uint8Array): boolean {
    if (this.stateNow !== 'running') throw new RealtimeError('ERR_TICK_STOPPED', `tick loop is ${this.stateNow}`);
    return this.inputRing.tryWrite(record);
  }

  onOutput(listener: (record: Uint8Array) => void): () => void {
    return this.listeners.onOutput(listener);
  }

  onFault(listener: (fault: TickLoopFault) => void): () => void {
    return this.listeners.onFault(listener);
  }

  metrics(): Promise<TickLoopMetrics> {
    return Promise.resolve(this.snapshot());
  }

  stop(): Promise<TickLoopMetrics> {
    this.timer?.cancel();
    this.timer = null;
    if (this.stateNow === 'running') this.stateNow = 'stopped';
    this.listeners.deliverFrom(this.outputRing);
    return Promise.resolve(this.snapshot());
  }

  private schedule(index: number, missedBefore: number): void {
    const deadlineUs = this.firstDeadlineUs + index * this.periodUs;
    this.pending.index = index;
    this.pending.deadlineUs = deadlineUs;
    this.pending.missedBefore = missedBefore;
    this.timer = this.clock.setTimerAt(deadlineUs, this.onTimer);
    // tick() returns SYNC_ONLY when every output listener said it started no async work.
  }

  private tick(index: number, deadlineUs: number, missedBefore: number): typeof SYNC_ONLY | undefined {
    this.timer = null;
    const startUs = this.clock.nowUs();
    this.lateness.recordNs((startUs - deadlineUs) * 1_000);
    if (missedBefore > 0) {
      // Counted when the tick after the skip runs, as in real time.
      this.overruns++;
      this.missedTicks += missedBefore;
    }
    try {
      this.executor.run(startUs, index, deadlineUs, missedBefore, false);
    } catch (error) {
      this.ticks++;
      this.stateNow = 'failed';
      this.listeners.deliverFrom(this.outputRing);
      this.listeners.emitFault({
        code: 'tick-handler-threw',
        tick: index,
        atUs: startUs,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return undefined;
    }
    const endUs = this.clock.nowUs();
    this.compute.recordNs((endUs - startUs) * 1_000);
    this.ticks++;
    const syncOnly = this.listeners.deliverFrom(this.outputRing);
    if (this.stateNow !== 'running') return undefined; // a listener stopped us
    const next = nextTickAfter(this.firstDeadlineUs, this.periodUs, index, endUs, this.next);
    this.schedule(next.index, next.missed);
    return syncOnly ? SYNC_ONLY : undefined;
  }

  private snapshot(): TickLoopMetrics {
    return {
      mode: 'virtual',
      periodUs: this.periodUs,
      overrunPolicy: this.overrunPolicy,
      ticks: this.ticks,
      missedTicks: this.missedTicks,
      overruns: this.overruns,
      latenessUs: this.lateness.summary(),
      computeUs: this.compute.summary(),
      inputRecords: this.inputRing.recordsWritten,
      inputOverflows: this.inputRing.overflows,
      outputRecords: this.outputRing.recordsWritten,
      outputOverflows: this.outputRing.overflows,
      ioStalls: 0,
      ioEventLoopDelayUs: null,
    };
  }
}
