import type { Worker } from 'node:worker_threads';
import type { Clock, TimerHandle } from '../../time/clock.js';
import { hrtimeEpochNs } from '../../time/hrtime-epoch.js';
import { RealClock } from '../../time/real-clock.js';
import { IoHealthMonitor } from './io-health-monitor.js';
import { LoopControlBlock } from './loop-control-block.js';
import { RealtimeError } from './realtime-error.js';
import { siblingModuleUrl, spawnWorker } from './spawn-worker.js';
import { SpscByteRing } from './spsc-byte-ring.js';
import { FIFO_PRIORITY_MAX, FIFO_PRIORITY_MIN, type ThreadScheduling } from './thread-priority.js';
import { TickLoopListeners } from './tick-loop-listeners.js';
import type { TickLoop, TickLoopFault, TickLoopMetrics, TickLoopState } from './tick-loop.js';
import { OVERRUN_POLICIES, type OverrunPolicy } from './tick-schedule.js';
import type { TickStats, TickWorkerData, TickWorkerMessage } from './tick-worker-protocol.js';

/** Options of `RealtimeLoop.start`. */
export interface RealtimeLoopOptions {
  /**
   * The handler module, loaded in the worker: its default export is a `TickHandlerFactory`.
   * Name it with `siblingModuleUrl('./x.js', import.meta.url)` to work from sources and dist.
   */
  readonly handlerModule: URL | string;
  /** Passed to the factory; must be structured-clonable (it crosses to the worker). */
  readonly handlerData?: unknown;
  /** Tick period, microseconds (default 1000: 1 kHz). At least 50. */
  readonly periodUs?: number;
  /** Spin this long before each deadline instead of sleeping (default 200 us). */
  readonly spinMarginUs?: number;
  readonly overrunPolicy?: OverrunPolicy;
  /** Data bytes of the input ring (default 256 KiB). */
  readonly inputRingBytes?: number;
  /** Data bytes of the output ring (default 256 KiB). */
  readonly outputRingBytes?: number;
  /** An I/O-thread heartbeat older than this is a stall (default 50 ms). */
  readonly ioStallBoundUs?: number;
  /** Heartbeat interval of the I/O thread (default: a tenth of the stall bound). */
  readonly heartbeatIntervalUs?: number;
  /**
   * The loop clock (default a new `RealClock`). Must be real: tick times handed to the handler
   * (`nowUs`, `deadlineUs`) are in its epoch, and its timers drive the heartbeat and timeouts.
   */
  readonly clock?: Clock;
  /** Give up starting the worker after this long (default 60 s: a cold TypeScript loader is slow). */
  readonly startTimeoutUs?: number;
  /** After `stop()`, terminate the worker if it has not ended within this (default 2 s). */
  readonly stopTimeoutUs?: number;
  /**
   * Run the tick thread at SCHED_FIFO with this priority (1–99), so that no thread of the
   * default scheduler — this process's I/O, a broker, a flood of network traffic, other
   * processes — can preempt a tick. Linux with `chrt`, as root or with CAP_SYS_NICE; when the
   * kernel refuses, `start` rejects with `ERR_TICK_PRIORITY` (it never runs at a priority other
   * than the one asked for). Default: the default scheduler.
   */
  readonly fifoPriority?: number;
}

const DEFAULTS = {
  periodUs: 1_000,
  spinMarginUs: 200,
  ringBytes: 256 * 1024,
  ioStallBoundUs: 50_000,
  startTimeoutUs: 60_000_000,
  stopTimeoutUs: 2_000_000,
} as const;

/**
 * The real-time tick loop (docs/architecture.md §Time): the handler runs in a `worker_thread` on absolute
 * deadlines (sleep with `Atomics.wait`, spin the last `spinMarginUs`), so GC and I/O on this
 * thread cannot delay it; inputs and outputs cross through `SharedArrayBuffer` rings; overruns
 * skip missed ticks; lateness and compute time go into HDR histograms; this thread's health
 * (heartbeat, event-loop delay) is watched and a stall is a fault.
 *
 * ```ts
 * const loop = await RealtimeLoop.start({ handlerModule: siblingModuleUrl('./core-tick.js', import.meta.url) });
 * loop.onOutput((record) => send(record));
 * loop.pushInput(bytes);
 * const figures = await loop.stop();
 * ```
 *
 * Contract: see `TickLoop`. Also:
 * - `start` resolves once the handler is loaded and the first deadline is fixed; it rejects with
 *   `ERR_TICK_HANDLER_MODULE` (bad module) or `ERR_TICK_WORKER` (worker failed or timed out).
 * - Output records are drained on this thread as soon as the worker signals them
 *   (`Atomics.waitAsync`), no polling.
 * - If the handler throws or the worker dies, the loop goes to state `failed`, reports the fault,
 *   and the worker is gone; `stop()` still resolves with the final metrics.
 *
 * Isolation from this thread is not isolation from the OS: when runnable threads outnumber cores
 * the tick thread is preempted for milliseconds. For microsecond lateness give the tick thread
 * SCHED_FIFO (`fifoPriority`; the worker raises itself with `chrt`) and/or a reserved core.
 */
export class RealtimeLoop implements TickLoop {
  private stateNow: TickLoopState = 'running';
  private readonly listeners = new TickLoopListeners();
  private readonly pendingMetrics = new Map<number, (stats: TickStats) => void>();
  private lastStats: TickStats = emptyStats();
  private stopPromise: Promise<TickLoopMetrics> | null = null;
  /** Settles once the tick has ended (worker reported `stopped`, or died). */
  private readonly ended: Promise<void>;
  private resolveEnded!: () => void;
  /** Settles with the worker's exit code. */
  private readonly exited: Promise<number>;
  private exitCode: number | null = null;
  /** Settles when the worker reports `ready` (first deadline) or fails to load. */
  private readonly ready: Promise<number>;
  private settleReady!: (outcome: { firstDeadlineUs: number } | { error: RealtimeError }) => void;
  private firstDeadline = Number.NaN;
  private threadScheduling: ThreadScheduling | null = null;
  private drainRunning = true;
  private draining = false;
  private drainDone: Promise<void> = Promise.resolve();

  private constructor(
    private readonly worker: Worker,
    private readonly clock: Clock,
    private readonly control: LoopControlBlock,
    private readonly inputRing: SpscByteRing,
    private readonly outputRing: SpscByteRing,
    private readonly health: IoHealthMonitor,
    private readonly periodUs: number,
    private readonly overrunPolicy: OverrunPolicy,
    private readonly stopTimeoutUs: number,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.ready = new Promise<{ firstDeadlineUs: number } | { error: RealtimeError }>(
      (resolve) => (this.settleReady = resolve),
    ).then((outcome) => {
      if ('error' in outcome) throw outcome.error;
      return outcome.firstDeadlineUs;
    });
    this.ready.catch(() => undefined); // observed by `start`; never an unhandled rejection
    // Listeners go on before the worker can say anything, so no message is lost.
    this.exited = new Promise((resolve) => {
      worker.on('exit', (exitCode) => {
        this.exitCode = exitCode;
        this.onWorkerGone(exitCode, `tick worker exited with code ${exitCode}`);
        resolve(exitCode);
      });
    });
    worker.on('message', (message: TickWorkerMessage) => this.onWorkerMessage(message));
    worker.on('error', (error) => this.onWorkerGone(1, `tick worker failed: ${error.message}`, error));
  }

  /** Start the worker, load the handler in it, and begin ticking. */
  static async start(options: RealtimeLoopOptions): Promise<RealtimeLoop> {
    const periodUs = options.periodUs ?? DEFAULTS.periodUs;
    const spinMarginUs = options.spinMarginUs ?? DEFAULTS.spinMarginUs;
    const ioStallBoundUs = options.ioStallBoundUs ?? DEFAULTS.ioStallBoundUs;
    const heartbeatIntervalUs = options.heartbeatIntervalUs ?? ioStallBoundUs / 10;
    const overrunPolicy = options.overrunPolicy ?? 'skip';
    requireConfig(Number.isFinite(periodUs) && periodUs >= 50, 'periodUs must be >= 50');
    requireConfig(spinMarginUs >= 0 && spinMarginUs <= periodUs, 'spinMarginUs must be in [0, periodUs]');
    requireConfig(ioStallBoundUs > 0 && heartbeatIntervalUs > 0, 'ioStallBoundUs and heartbeatIntervalUs must be > 0');
    requireConfig(heartbeatIntervalUs < ioStallBoundUs, 'heartbeatIntervalUs must be below ioStallBoundUs');
    requireConfig(OVERRUN_POLICIES.includes(overrunPolicy), `unknown overrun policy ${String(overrunPolicy)}`);
    const fifo = options.fifoPriority;
    requireConfig(
      fifo === undefined || (Number.isInteger(fifo) && fifo >= FIFO_PRIORITY_MIN && fifo <= FIFO_PRIORITY_MAX),
      `fifoPriority must be an integer in ${FIFO_PRIORITY_MIN}–${FIFO_PRIORITY_MAX}`,
    );
    const clock = options.clock ?? new RealClock();
    if (clock.kind !== 'real') {
      throw new RealtimeError(
        'ERR_TICK_CLOCK',
        'RealtimeLoop needs a real clock; use VirtualTickDriver in virtual time',
      );
    }
    const inputRing = SpscByteRing.create(options.inputRingBytes ?? DEFAULTS.ringBytes);
    const outputRing = SpscByteRing.create(options.outputRingBytes ?? DEFAULTS.ringBytes);
    const control = new LoopControlBlock();
    const handlerModule = options.handlerModule instanceof URL ? options.handlerModule.href : options.handlerModule;
    const workerData: TickWorkerData = {
      kind: 'shieldlink-tick-worker',
      handlerModule,
      handlerData: options.handlerData,
      periodUs,
      spinMarginUs,
      ioStallBoundUs,
      fifoPriority: options.fifoPriority,
      epochNs: hrtimeEpochNs(clock),
      control: control.buffer,
      inputRing: inputRing.buffer,
      outputRing: outputRing.buffer,
    };
    const health = new IoHealthMonitor(clock, control, heartbeatIntervalUs);
    health.start();
    const worker = spawnWorker(siblingModuleUrl('./tick-worker-entry.js', import.meta.url), { workerData });
    const loop = new RealtimeLoop(
      worker,
      clock,
      control,
      inputRing,
      outputRing,
      health,
      periodUs,
      overrunPolicy,
      options.stopTimeoutUs ?? DEFAULTS.stopTimeoutUs,
    );
    const startTimeoutUs = options.startTimeoutUs ?? DEFAULTS.startTimeoutUs;
    const timer = clock.setTimer(startTimeoutUs, () =>
      loop.settleReady({
        error: new RealtimeError('ERR_TICK_WORKER', `tick worker not ready after ${startTimeoutUs / 1e6} s`),
      }),
    );
    try {
      loop.firstDeadline = await loop.ready;
    } catch (error) {
      loop.stateNow = 'failed';
      await loop.stop();
      throw error;
    } finally {
      timer.cancel();
    }
    return loop;
  }

  get state(): TickLoopState {
    return this.stateNow;
  }

  /** Deadline of tick 0, loop clock microseconds (tick k is due at `firstDeadlineUs + k·periodUs`). */
  get firstDeadlineUs(): number {
    return this.firstDeadline;
  }

  /**
   * The tick thread's scheduling as the kernel reported it at start (`fifo` with its priority
   * when `fifoPriority` was given), or null where it cannot be read (not Linux).
   */
  get scheduling(): ThreadScheduling | null {
    return this.threadScheduling;
  }

  /**
   * The worker's exit code once it has exited, else null: 0 when it ended by itself after
   * `stop()`, 1 when it had to be terminated (stop timeout) or crashed.
   */
  get workerExitCode(): number | null {
    return this.exitCode;
  }

  pushInput(record: Uint8Array): boolean {
    if (this.stateNow !== 'running') throw new RealtimeError('ERR_TICK_STOPPED', `tick loop is ${this.stateNow}`);
    return this.inputRing.tryWrite(record);
  }

  onOutput(listener: (record: Uint8Array) => void | boolean): () => void {
    const unsubscribe = this.listeners.onOutput(listener);
    // Records wait in the ring until someone listens (so none is lost between `start` and the
    // first `onOutput`); a ring nobody drains fills up and counts overflows.
    if (!this.draining && this.drainRunning) {
      this.draining = true;
      this.drainDone = this.drainOutputs();
    }
    return unsubscribe;
  }

  onFault(listener: (fault: TickLoopFault) => void): () => void {
    return this.listeners.onFault(listener);
  }

  /** Current figures; asks the worker, which answers after its next tick. */
  async metrics(): Promise<TickLoopMetrics> {
    if (this.stateNow !== 'running') return this.compose(this.lastStats);
    const request = this.control.requestMetrics();
    const stats = await Promise.race([
      new Promise<TickStats>((resolve) => this.pendingMetrics.set(request, resolve)),
      this.ended.then(() => this.lastStats),
    ]);
    this.pendingMetrics.delete(request);
    return this.compose(stats);
  }

  stop(): Promise<TickLoopMetrics> {
    this.stopPromise ??= this.shutDown();
    return this.stopPromise;
  }

  private async shutDown(): Promise<TickLoopMetrics> {
    if (this.stateNow === 'running') this.stateNow = 'stopping';
    this.control.requestStop();
    // The worker ends its loop at the next check (at once if asleep) and exits by itself; if it
    // is stuck (a handler that never returns) or something keeps it alive, terminate it.
    let timer: TimerHandle | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = this.clock.setTimer(this.stopTimeoutUs, () => resolve('timeout'));
    });
    const outcome = await Promise.race([this.exited, timedOut]);
    timer?.cancel();
    if (outcome === 'timeout') await this.worker.terminate();
    await this.exited;
    this.health.stop();
    this.drainRunning = false;
    this.outputRing.notifyConsumer();
    await this.drainDone;
    this.listeners.deliverFrom(this.outputRing);
    if (this.stateNow === 'stopping') this.stateNow = 'stopped';
    return this.compose(this.lastStats);
  }

  private onWorkerMessage(message: TickWorkerMessage): void {
    switch (message.type) {
      case 'ready':
        this.threadScheduling = message.scheduling;
        this.settleReady({ firstDeadlineUs: message.firstDeadlineUs });
        break;
      case 'load-failed':
        this.settleReady({
          error: new RealtimeError(
            message.code === 'ERR_TICK_HANDLER_MODULE' || message.code === 'ERR_TICK_PRIORITY'
              ? message.code
              : 'ERR_TICK_WORKER',
            message.message,
          ),
        });
        break;
      case 'metrics':
        this.lastStats = message.stats;
        for (const [request, resolve] of this.pendingMetrics) if (request <= message.request) resolve(message.stats);
        break;
      case 'fault':
        // The tick has ended on this fault: listeners already see the loop as failed.
        if (message.fault.code === 'tick-handler-threw') this.stateNow = 'failed';
        this.listeners.emitFault(message.fault);
        break;
      case 'stopped':
        this.lastStats = message.stats;
        if (message.reason === 'handler-threw') this.stateNow = 'failed';
        this.resolveEnded();
        break;
    }
  }

  private onWorkerGone(exitCode: number, message: string, cause?: unknown): void {
    this.settleReady({ error: new RealtimeError('ERR_TICK_WORKER', message, cause === undefined ? {} : { cause }) });
    if (this.stateNow === 'running') {
      this.stateNow = 'failed';
      this.listeners.emitFault({ code: 'worker-exited', exitCode, message });
    }
    this.resolveEnded();
  }

  /** Drain the output ring whenever the worker signals records, until shut down. */
  private async drainOutputs(): Promise<void> {
    // Wait first: listeners subscribed in the same synchronous block all get the first record.
    await this.outputRing.waitForRecords();
    while (this.drainRunning) {
      this.listeners.deliverFrom(this.outputRing);
      await this.outputRing.waitForRecords();
    }
  }

  private compose(stats: TickStats): TickLoopMetrics {
    return {
      mode: 'realtime',
      periodUs: this.periodUs,
      overrunPolicy: this.overrunPolicy,
      ticks: stats.ticks,
      missedTicks: stats.missedTicks,
      overruns: stats.overruns,
      latenessUs: stats.latenessUs,
      computeUs: stats.computeUs,
      inputRecords: this.inputRing.recordsWritten,
      inputOverflows: this.inputRing.overflows,
      outputRecords: this.outputRing.recordsWritten,
      outputOverflows: this.outputRing.overflows,
      ioStalls: stats.ioStalls,
      ioEventLoopDelayUs: this.health.eventLoopDelay(),
      tickThread: this.threadScheduling,
    };
  }
}

function requireConfig(ok: boolean, message: string): void {
  if (!ok) throw new RealtimeError('ERR_TICK_CONFIG', message);
}

function emptyStats(): TickStats {
  const empty = { count: 0, p50: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  return { ticks: 0, missedTicks: 0, overruns: 0, ioStalls: 0, latenessUs: empty, computeUs: empty };
}
