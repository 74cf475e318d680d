import type { RecordQueue } from './record-queue.js';
import type { TickContext, TickHandler } from './tick-handler.js';

/** The mutable object behind `TickContext`, reused every tick. */
interface MutableTickContext {
  index: number;
  deadlineUs: number;
  periodUs: number;
  missedBefore: number;
  ioStalled: boolean;
}

/**
 * Runs one tick of a handler against its rings: takes every input record waiting at the start
 * of the tick, calls the handler, and lets it write outputs. Shared by the tick worker and the
 * virtual driver so both present the handler with exactly the same interface.
 *
 * Input records are copied into one reusable arena the size of the input ring (everything the
 * ring can hold fits), and handed over as views into it: valid during the call only. They are
 * not views into the shared ring, so handlers can use APIs that refuse shared memory
 * (TextDecoder, crypto).
 */
export class TickExecutor {
  private readonly arena: Uint8Array;
  private readonly inputs: Uint8Array[] = [];
  private readonly context: MutableTickContext;
  private readonly output: (bytes: Uint8Array) => boolean;
  private outputsThisTick = 0;

  constructor(
    private readonly handler: TickHandler,
    private readonly inputRing: RecordQueue,
    outputRing: RecordQueue,
    periodUs: number,
  ) {
    this.arena = new Uint8Array(inputRing.capacityBytes);
    this.context = { index: 0, deadlineUs: 0, periodUs, missedBefore: 0, ioStalled: false };
    this.output = (bytes) => {
      const written = outputRing.tryWrite(bytes);
      if (written) this.outputsThisTick++;
      return written;
    };
  }

  /**
   * Run one tick. Returns the number of output records written (so the caller knows whether to
   * wake the output consumer). Exceptions from the handler propagate.
   */
  run(nowUs: number, index: number, deadlineUs: number, missedBefore: number, ioStalled: boolean): number {
    const inputs = this.inputs;
    inputs.length = 0;
    let offset = 0;
    // Everything held at the start of the tick fits the arena; records the producer adds while
    // we drain may not, and wait for the next tick.
    for (;;) {
      const length = this.inputRing.peekLength();
      if (length < 0 || offset + length > this.arena.length) break;
      this.inputRing.readInto(this.arena, offset);
      inputs.push(this.arena.subarray(offset, offset + length));
      offset += length;
    }
    const context = this.context;
    context.index = index;
    context.deadlineUs = deadlineUs;
    context.missedBefore = missedBefore;
    context.ioStalled = ioStalled;
    this.outputsThisTick = 0;
    this.handler(nowUs, inputs, this.output, context as TickContext);
    return this.outputsThisTick;
  }
}
