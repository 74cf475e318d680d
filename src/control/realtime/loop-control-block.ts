/** Int32 slots of the control block. */
const STOP = 0; // 0 = run; 1 = stop (also the tick's sleep-interrupt word)
const HEARTBEAT = 1; // bumped by the I/O thread on each event-loop turn
const METRICS_REQUEST = 2; // bumped by the I/O thread to ask the tick for a metrics snapshot
const SLOTS = 4;

/**
 * The few words the I/O thread and the tick worker share besides the rings. The tick worker
 * never takes messages from its event loop (it is blocked sleeping or spinning), so every
 * request to it goes through here and is polled once per tick; only `stop` also wakes it.
 *
 * Contract: one writer per slot — the I/O thread writes `stop`, `heartbeat` and
 * `metricsRequest`; the tick only reads them.
 */
export class LoopControlBlock {
  readonly buffer: SharedArrayBuffer;
  /** The Int32 view; `stopIndex` in it is the tick's sleep-interrupt word. */
  readonly words: Int32Array;
  readonly stopIndex = STOP;

  /** Attach to `buffer`, or allocate a new block when none is given. */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * 4)) {
    this.buffer = buffer;
    this.words = new Int32Array(buffer, 0, SLOTS);
  }

  /** I/O thread: ask the tick to stop, waking it if it sleeps. */
  requestStop(): void {
    Atomics.store(this.words, STOP, 1);
    Atomics.notify(this.words, STOP);
  }

  stopRequested(): boolean {
    return Atomics.load(this.words, STOP) !== 0;
  }

  /** I/O thread: one heartbeat. */
  beat(): void {
    Atomics.add(this.words, HEARTBEAT, 1);
  }

  /** The heartbeat counter (wraps at 2^31; only changes matter). */
  heartbeat(): number {
    return Atomics.load(this.words, HEARTBEAT);
  }

  /** I/O thread: ask for a metrics snapshot; returns the request number to match the reply. */
  requestMetrics(): number {
    return Atomics.add(this.words, METRICS_REQUEST, 1) + 1;
  }

  /** The latest metrics request number (0: none yet). */
  metricsRequest(): number {
    return Atomics.load(this.words, METRICS_REQUEST);
  }
}
