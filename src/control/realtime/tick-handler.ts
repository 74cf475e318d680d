/**
 * What a tick handler learns about the tick it runs in. The object is reused from tick to tick
 * (no per-tick allocation): read it during the call, do not keep it.
 */
export interface TickContext {
  /**
   * Index k of this tick on the schedule `firstDeadlineUs + k·periodUs`. Strictly increasing;
   * indices of skipped ticks (overrun policy `skip`) never appear, so a jump means ticks were
   * skipped.
   */
  readonly index: number;
  /** The deadline of this tick, in the loop clock's microseconds (`nowUs >= deadlineUs`). */
  readonly deadlineUs: number;
  /** The tick period, microseconds. */
  readonly periodUs: number;
  /** Ticks skipped just before this one (0 unless the previous tick overran). */
  readonly missedBefore: number;
  /**
   * True while the I/O thread has not shown a heartbeat for longer than the stall bound: inputs
   * may be stale and outputs may not be sent. A control core fails closed on it. Always false in
   * virtual time.
   */
  readonly ioStalled: boolean;
}

/**
 * The function a tick loop calls once per tick, in real time (in the tick worker) or in virtual
 * time (`VirtualTickDriver`): the seam where the control core's `step()` plugs in.
 *
 * Contract:
 * - `nowUs` is the loop clock's time at the start of the tick (>= `tick.deadlineUs`).
 * - `inputs` holds the records pushed with `pushInput()` since the previous tick, in push order.
 *   Each array is valid only during this call (its memory is reused): copy what must outlive it.
 * - `output(bytes)` copies one record into the output ring; it never blocks. It returns `false`
 *   when the ring is full (the record is dropped and counted in `outputOverflows`).
 * - The handler must not block or sleep. Time spent in it is the tick's compute time; a tick that
 *   ends after the next deadline is an overrun and the missed ticks are skipped.
 * - A handler that throws stops the loop (fault `tick-handler-threw`): a control core that cannot
 *   step stops commanding, and the launcher's own watchdog goes SAFE.
 */
export type TickHandler = (
  nowUs: number,
  inputs: readonly Uint8Array[],
  output: (bytes: Uint8Array) => boolean,
  tick: TickContext,
) => void;

/**
 * The default export of a handler module: builds one handler (with its private state) from
 * `data`, which the loop passes through from its `handlerData` option (structured-clonable in
 * real time, since it crosses to the worker).
 */
export type TickHandlerFactory<Data = unknown> = (data: Data) => TickHandler | Promise<TickHandler>;

/** Identity, for typing a handler module's default export: `export default defineTickHandler(...)`. */
export function defineTickHandler<Data = unknown>(factory: TickHandlerFactory<Data>): TickHandlerFactory<Data> {
  return factory;
}
