/**
 * The tick loops: real time (`RealtimeLoop`: worker thread, absolute deadlines, shared-memory
 * rings) and virtual time (`VirtualTickDriver`), behind one `TickLoop` interface and one
 * `TickHandler` seam for the control core.
 */
export { RealtimeLoop, type RealtimeLoopOptions } from './realtime-loop.js';
export { VirtualTickDriver, type VirtualTickDriverOptions } from './virtual-tick-driver.js';
export type { TickLoop, TickLoopFault, TickLoopMetrics, TickLoopState } from './tick-loop.js';
export { defineTickHandler, type TickContext, type TickHandler, type TickHandlerFactory } from './tick-handler.js';
export { loadTickHandler } from './load-tick-handler.js';
export { OVERRUN_POLICIES, firstDeadline, nextTickAfter, type NextTick, type OverrunPolicy } from './tick-schedule.js';
export { SpscByteRing } from './spsc-byte-ring.js';
export { LatencyHistogram, EMPTY_LATENCY_SUMMARY, type LatencySummary } from './latency-histogram.js';
export { RealtimeError, type RealtimeErrorCode } from './realtime-error.js';
export { ownThreadScheduling, raiseOwnThreadToFifo, type ThreadScheduling } from './thread-priority.js';
export { siblingModuleUrl, spawnWorker } from './spawn-worker.js';
