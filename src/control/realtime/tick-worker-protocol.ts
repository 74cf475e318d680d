import type { LatencySummary } from './latency-histogram.js';
import type { ThreadScheduling } from './thread-priority.js';
import type { TickLoopFault } from './tick-loop.js';

/** What the I/O thread hands the tick worker (`workerData`). */
export interface TickWorkerData {
  readonly kind: 'shieldlink-tick-worker';
  /** href of the handler module (default export: a `TickHandlerFactory`). */
  readonly handlerModule: string;
  readonly handlerData: unknown;
  readonly periodUs: number;
  readonly spinMarginUs: number;
  readonly ioStallBoundUs: number;
  /** Run the tick thread at SCHED_FIFO with this priority (1–99); undefined: the default scheduler. */
  readonly fifoPriority: number | undefined;
  /** `process.hrtime.bigint()` at which the loop clock reads 0. */
  readonly epochNs: bigint;
  readonly control: SharedArrayBuffer;
  readonly inputRing: SharedArrayBuffer;
  readonly outputRing: SharedArrayBuffer;
}

/** Counters and distributions the tick side keeps (the I/O side adds ring and event-loop figures). */
export interface TickStats {
  readonly ticks: number;
  readonly missedTicks: number;
  readonly overruns: number;
  readonly ioStalls: number;
  readonly latenessUs: LatencySummary;
  readonly computeUs: LatencySummary;
}

/** Why the tick loop ended. */
export type TickEndReason = 'stop' | 'handler-threw';

/** Messages from the tick worker to the I/O thread. */
export type TickWorkerMessage =
  | {
      readonly type: 'ready';
      readonly firstDeadlineUs: number;
      /** The tick thread's scheduling as the kernel reports it; null where it cannot be read. */
      readonly scheduling: ThreadScheduling | null;
    }
  | { readonly type: 'load-failed'; readonly code: string; readonly message: string }
  | { readonly type: 'metrics'; readonly request: number; readonly stats: TickStats }
  | { readonly type: 'fault'; readonly fault: TickLoopFault }
  | { readonly type: 'stopped'; readonly reason: TickEndReason; readonly stats: TickStats };
