import type { ThreadScheduling } from './thread-priority.js';
import type { LatencySummary } from './latency-histogram.js';
import type { OverrunPolicy } from './tick-schedule.js';

/**
 * Something that went wrong around the tick, reported to `onFault` listeners (and, for
 * `io-stall`, shown to the handler as `tick.ioStalled` so the core fails closed):
 * - `io-stall`: the I/O thread's heartbeat is older than the bound (`ioStallBoundUs`); raised by
 *   the tick worker while the I/O thread is stuck (delivered to listeners once it runs again).
 * - `io-stall-cleared`: heartbeats resumed; `stalledForUs` is the heartbeat age when they did.
 * - `tick-handler-threw`: the handler threw; the loop stopped (state `failed`).
 * - `worker-exited`: the tick worker died without being stopped (state `failed`).
 * - `output-listener-threw`: an `onOutput` listener threw; the record was still consumed.
 */
export type TickLoopFault =
  | { readonly code: 'io-stall'; readonly tick: number; readonly atUs: number; readonly heartbeatAgeUs: number }
  | { readonly code: 'io-stall-cleared'; readonly tick: number; readonly atUs: number; readonly stalledForUs: number }
  | { readonly code: 'tick-handler-threw'; readonly tick: number; readonly atUs: number; readonly message: string }
  | { readonly code: 'worker-exited'; readonly exitCode: number; readonly message: string }
  | { readonly code: 'output-listener-threw'; readonly message: string };

/** Counters and distributions of a tick loop. */
export interface TickLoopMetrics {
  /** `realtime`: worker thread on absolute deadlines; `virtual`: on a Clock's timers. */
  readonly mode: 'realtime' | 'virtual';
  readonly periodUs: number;
  readonly overrunPolicy: OverrunPolicy;
  /** Handler invocations. */
  readonly ticks: number;
  /**
   * Deadlines skipped under the overrun policy: indices never run between two ticks that ran
   * (the sum of the ticks' `missedBefore`).
   */
  readonly missedTicks: number;
  /**
   * Ticks that ended after the next deadline (slow handler or late wake-up), counted when the
   * tick after the skip runs.
   */
  readonly overruns: number;
  /** Start of tick minus its deadline. Always 0 in virtual time. */
  readonly latenessUs: LatencySummary;
  /** Time spent in the handler per tick (real time only; 0 in virtual time). */
  readonly computeUs: LatencySummary;
  readonly inputRecords: number;
  /** `pushInput` calls refused because the input ring was full. */
  readonly inputOverflows: number;
  readonly outputRecords: number;
  /** `output()` calls refused because the output ring was full. */
  readonly outputOverflows: number;
  /** Times an I/O-thread stall was detected (fault `io-stall`). */
  readonly ioStalls: number;
  /** The I/O (main) thread's event-loop delay (`perf_hooks.monitorEventLoopDelay`); null in virtual time. */
  readonly ioEventLoopDelayUs: LatencySummary | null;
  /**
   * Real time: the tick thread's scheduling as the kernel reported it at start (SCHED_FIFO when
   * asked for), null where it cannot be read. Absent in virtual time.
   */
  readonly tickThread?: ThreadScheduling | null;
}

/** Lifecycle of a tick loop: `running` until `stop()` (→ `stopped`) or a fatal fault (→ `failed`). */
export type TickLoopState = 'running' | 'stopping' | 'stopped' | 'failed';

/**
 * A running tick loop, real-time (`RealtimeLoop`) or virtual (`VirtualTickDriver`): what the
 * composition root programs against so that `--virtual-time` only swaps the implementation.
 *
 * Contract:
 * - `pushInput` copies the record into the input ring and never blocks; `false` means the ring
 *   was full (dropped, counted in `inputOverflows`). Records reach the handler at the next tick,
 *   in push order. Throws `ERR_TICK_STOPPED` once the loop is stopped or failed.
 * - Output records reach `onOutput` listeners in the order the handler emitted them, each as a
 *   fresh array the listener owns. Until the first listener subscribes they wait in the output
 *   ring (which may fill and count overflows). Records emitted before `stop()` resolves are all
 *   delivered to the listeners subscribed then.
 * - `stop()` is idempotent; it resolves with the final metrics once the tick has stopped.
 */
export interface TickLoop {
  readonly state: TickLoopState;
  pushInput(record: Uint8Array): boolean;
  /** Subscribe to output records; returns the unsubscribe function. */
  /**
   * Listen to output records. A listener may return `false` to promise it started no
   * asynchronous work for that record; in virtual time a tick whose every listener call
   * returned `false` costs no event-loop turn (see SYNC_ONLY in src/time/clock.ts).
   */
  onOutput(listener: (record: Uint8Array) => void | boolean): () => void;
  /** Subscribe to faults; returns the unsubscribe function. */
  onFault(listener: (fault: TickLoopFault) => void): () => void;
  metrics(): Promise<TickLoopMetrics>;
  stop(): Promise<TickLoopMetrics>;
}
