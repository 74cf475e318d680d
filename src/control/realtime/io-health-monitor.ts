import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Clock, TimerHandle } from '../../time/clock.js';
import { EMPTY_LATENCY_SUMMARY, type LatencySummary } from './latency-histogram.js';
import type { LoopControlBlock } from './loop-control-block.js';

/**
 * The I/O (main) thread's side of its health check:
 * - a heartbeat: every `heartbeatIntervalUs` (on the injected Clock's timers, so it only fires
 *   when the event loop turns) it bumps the heartbeat word the tick worker watches; a blocked
 *   event loop stops the beats and the tick reports `io-stall`;
 * - the event-loop delay histogram (`perf_hooks.monitorEventLoopDelay`), exported as a metric.
 */
export class IoHealthMonitor {
  private readonly delay: IntervalHistogram;
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly control: LoopControlBlock,
    private readonly heartbeatIntervalUs: number,
  ) {
    this.delay = monitorEventLoopDelay({ resolution: 10 });
  }

  start(): void {
    if (this.timer !== null) return;
    this.delay.enable();
    const beat = (): void => {
      this.control.beat();
      this.timer = this.clock.setTimer(this.heartbeatIntervalUs, beat);
    };
    beat();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    this.delay.disable();
  }

  /** Event-loop delay since `start()`, microseconds. */
  eventLoopDelay(): LatencySummary {
    const h = this.delay;
    if (h.count === 0) return EMPTY_LATENCY_SUMMARY;
    return {
      count: h.count,
      p50: h.percentile(50) / 1_000,
      p99: h.percentile(99) / 1_000,
      p999: h.percentile(99.9) / 1_000,
      max: h.max / 1_000,
      mean: h.mean / 1_000,
    };
  }
}
