/**
 * Why a tick loop refused or failed:
 * - `ERR_TICK_CONFIG`: an option is out of range (period, ring size, bounds).
 * - `ERR_TICK_CLOCK`: a real-time loop was given a virtual clock (use `VirtualTickDriver`).
 * - `ERR_TICK_HANDLER_MODULE`: the handler module failed to load or its default export is not
 *   a `TickHandlerFactory`, or the factory threw or returned something that is not a function.
 * - `ERR_TICK_WORKER`: the worker thread failed to start or died.
 * - `ERR_TICK_PRIORITY`: the tick thread was asked to run at SCHED_FIFO and could not (not
 *   Linux, no `chrt`, or the kernel refused: it needs root or CAP_SYS_NICE).
 * - `ERR_TICK_STOPPED`: the loop was used after `stop()` or after it failed.
 * - `ERR_TICK_RING`: a buffer handed over as a ring is not one (bad header), or a ring is
 *   corrupted (a record longer than the bytes held: two producers or two consumers).
 */
export type RealtimeErrorCode =
  | 'ERR_TICK_CONFIG'
  | 'ERR_TICK_CLOCK'
  | 'ERR_TICK_HANDLER_MODULE'
  | 'ERR_TICK_WORKER'
  | 'ERR_TICK_PRIORITY'
  | 'ERR_TICK_STOPPED'
  | 'ERR_TICK_RING';

/** An error of the tick loops (real-time and virtual), with a stable `code`. */
export class RealtimeError extends Error {
  override readonly name = 'RealtimeError';

  constructor(
    readonly code: RealtimeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
