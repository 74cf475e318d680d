import type { DeadlineSleeper } from '../../time/deadline-sleeper.js';
import { IoStallDetector } from './io-stall-detector.js';
import { LatencyHistogram } from './latency-histogram.js';
import type { LoopControlBlock } from './loop-control-block.js';
import type { SpscByteRing } from './spsc-byte-ring.js';
import type { TickExecutor } from './tick-executor.js';
import type { TickLoopFault } from './tick-loop.js';
import { firstDeadline, nextTickAfter } from './tick-schedule.js';
import type { TickEndReason, TickStats } from './tick-worker-protocol.js';

/** What the deadline loop reports while it runs. */
export interface DeadlineTickLoopEvents {
  /** A fault to pass on to the I/O thread (called on the tick thread; keep it short). */
  fault(fault: TickLoopFault): void;
  /** The I/O thread asked for metrics (request number) and here they are. */
  metrics(request: number, stats: TickStats): void;
}

/**
 * The real-time tick loop, run on the tick worker's thread, which it blocks until stopped:
 * absolute deadlines `first + k·period` (never "sleep one period", which drifts), sleep-then-spin
 * to each deadline, overrun policy `skip`, lateness and compute histograms, I/O-stall check.
 *
 * Per tick: sleep to the deadline → measure lateness → check the stop word, the I/O heartbeat
 * and metrics requests → run the handler → measure compute → wake the output consumer if the
 * handler wrote → plan the next deadline (skipping those already past).
 */
export class DeadlineTickLoop {
  private readonly lateness = new LatencyHistogram();
  private readonly compute = new LatencyHistogram();
  private ticks = 0;
  private missedTicks = 0;
  private overruns = 0;
  private ioStalls = 0;
  /** Deadline of tick 0, ns in the loop clock's epoch; set when `run` starts. */
  private firstNs = 0;

  constructor(
    private readonly options: {
      readonly sleeper: DeadlineSleeper;
      readonly control: LoopControlBlock;
      readonly executor: TickExecutor;
      readonly outputRing: SpscByteRing;
      readonly periodUs: number;
      readonly ioStallBoundUs: number;
      readonly events: DeadlineTickLoopEvents;
    },
  ) {}

  /** Deadline of tick 0 (after `prepare`), loop clock microseconds. */
  get firstDeadlineUs(): number {
    return this.firstNs / 1_000;
  }

  /** Fix the schedule's origin: the first round deadline at least one period ahead. */
  prepare(): void {
    const periodNs = this.options.periodUs * 1_000;
    this.firstNs = firstDeadline(this.options.sleeper.nowNs(), periodNs);
  }

  /** Run until the stop word is set or the handler throws. */
  run(): TickEndReason {
    const { sleeper, control, executor, outputRing, events } = this.options;
    const periodNs = this.options.periodUs * 1_000;
    if (this.firstNs === 0) this.prepare();
    const firstNs = this.firstNs;
    const stall = new IoStallDetector(this.options.ioStallBoundUs * 1_000, control.heartbeat(), firstNs);
    const next = { index: 0, missed: 0 };
    let index = 0;
    let missedBefore = 0;
    let servedMetrics = control.metricsRequest();
    for (;;) {
      const deadlineNs = firstNs + index * periodNs;
      if (!sleeper.sleepUntil(deadlineNs)) return 'stop';
      const startNs = sleeper.nowNs();
      if (control.stopRequested()) return 'stop';
      this.lateness.recordNs(startNs - deadlineNs);
      // Skips are counted when the tick after them runs, so `missedTicks` is exactly the
      // indices never run between ticks that did (a skip right before stop() is not counted).
      if (missedBefore > 0) {
        this.overruns++;
        this.missedTicks += missedBefore;
      }

      const transition = stall.update(control.heartbeat(), startNs);
      if (transition === 'stalled') {
        this.ioStalls++;
        events.fault({
          code: 'io-stall',
          tick: index,
          atUs: startNs / 1_000,
          heartbeatAgeUs: stall.heartbeatAgeNs / 1_000,
        });
      } else if (transition === 'cleared') {
        events.fault({
          code: 'io-stall-cleared',
          tick: index,
          atUs: startNs / 1_000,
          stalledForUs: stall.heartbeatAgeNs / 1_000,
        });
      }

      let written: number;
      try {
        written = executor.run(startNs / 1_000, index, deadlineNs / 1_000, missedBefore, stall.stalled);
      } catch (error) {
        this.ticks++;
        events.fault({
          code: 'tick-handler-threw',
          tick: index,
          atUs: startNs / 1_000,
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
        outputRing.notifyConsumer();
        return 'handler-threw';
      }
      const endNs = sleeper.nowNs();
      this.compute.recordNs(endNs - startNs);
      this.ticks++;
      if (written > 0) outputRing.notifyConsumer();

      nextTickAfter(firstNs, periodNs, index, endNs, next);
      index = next.index;
      missedBefore = next.missed;

      const request = control.metricsRequest();
      if (request !== servedMetrics) {
        servedMetrics = request;
        events.metrics(request, this.stats());
      }
    }
  }

  /** Counters and distributions so far. */
  stats(): TickStats {
    return {
      ticks: this.ticks,
      missedTicks: this.missedTicks,
      overruns: this.overruns,
      ioStalls: this.ioStalls,
      latenessUs: this.lateness.summary(),
      computeUs: this.compute.summary(),
    };
  }
}
