import type { Clock, TimerHandle } from '../time/clock.js';
import type { HostJitter } from './conformance-report.js';

/** Period of the kit's own probe timer. */
export const JITTER_PROBE_PERIOD_US = 5_000;
/** Samples kept (a ring: the last 100 s at the probe period). */
const MAX_SAMPLES = 20_000;

/**
 * Measures the kit's own scheduling error during a run: a timer every 5 ms on the run's clock,
 * each recording how late it fired. On a real clock this is what the host's OS and event loop add
 * to every arrival time the kit observes, so a limit judged on arrival times is widened by it —
 * by it only (docs/protocol.md, conformance). Under a VirtualClock timers are never late and the
 * meter does not run (0) unless `measure` forces it (a test clock that injects stalls).
 *
 * Contract: `start()` / `stop()` are idempotent; `beginWindow()` starts a check's window;
 * `allowanceUs` is the largest lateness seen in the current window so far (a stall in an earlier
 * check does not widen this one's limits); `settle()` counts a tick overdue now (a stall still in
 * progress); `summary()` reports p99 and max over the run.
 */
export class HostJitterMeter {
  private readonly samples: number[] = [];
  private timer: TimerHandle | undefined;
  private maxUs = 0;
  private windowMax = 0;
  private dueUs: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly measure: boolean = clock.kind === 'real',
  ) {}

  start(): void {
    if (this.timer !== undefined || !this.measure) return;
    this.dueUs = this.clock.nowUs() + JITTER_PROBE_PERIOD_US;
    const tick = (): void => {
      const now = this.clock.nowUs();
      const due = this.dueUs ?? now;
      this.record(Math.max(0, now - due));
      this.dueUs = Math.max(due + JITTER_PROBE_PERIOD_US, now + 1);
      this.timer = this.clock.setTimerAt(this.dueUs, tick);
    };
    this.timer = this.clock.setTimerAt(this.dueUs, tick);
  }

  /** Start a new window (a check): `windowMaxUs` and `allowanceUs` count from here. */
  beginWindow(): void {
    this.windowMax = 0;
  }

  /** The largest lateness in the current window, including a probe tick overdue right now. */
  settle(): number {
    if (this.timer !== undefined && this.dueUs !== undefined) {
      this.windowMax = Math.max(this.windowMax, this.clock.nowUs() - this.dueUs);
    }
    return this.windowMax;
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Record one lateness (tests; the probe timer). */
  record(latenessUs: number): void {
    if (this.samples.length >= MAX_SAMPLES) this.samples.shift();
    this.samples.push(latenessUs);
    this.maxUs = Math.max(this.maxUs, latenessUs);
    this.windowMax = Math.max(this.windowMax, latenessUs);
  }

  /** How much a limit judged on arrival times may be widened: the largest lateness in this window so far. */
  get allowanceUs(): number {
    return this.windowMax;
  }

  summary(): HostJitter {
    if (this.samples.length === 0) return { samples: 0, p99Us: 0, maxUs: 0 };
    const sorted = [...this.samples].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
    return { samples: sorted.length, p99Us: Math.round(p99), maxUs: Math.round(this.maxUs) };
  }
}
