import type { ControlCommand } from './control-commands.js';
import { ControlError } from './control-error.js';
import type { ControlEvent } from './control-events.js';

/** What one `step()` produced. */
export interface StepOutput {
  /** Commands for the drivers, in emission order. */
  readonly commands: readonly ControlCommand[];
  /** Events, in `seq` order. */
  readonly events: readonly ControlEvent[];
}

const MAX_COMMAND_ID = 0xffff_ffff;

/**
 * The outputs of the current tick and the two counters behind them: event sequence numbers and
 * command ids. Both live in the core's state, so a replay produces the same numbers.
 *
 * The arrays are reused from tick to tick (cleared at the start of each `step()`); the command and
 * event objects in them are fresh and never mutated, so a consumer that keeps them past the next
 * step copies the arrays, not the objects.
 */
export class OutputSink implements StepOutput {
  readonly commands: ControlCommand[] = [];
  readonly events: ControlEvent[] = [];
  private lastSeq = 0;
  private nextId: number;
  private nowUs = 0;

  constructor(
    firstCommandId: number,
    private readonly lastId = MAX_COMMAND_ID,
  ) {
    this.nextId = firstCommandId;
  }

  /** Starts a tick: clears the arrays, keeps the counters. */
  begin(nowUs: number): void {
    this.nowUs = nowUs;
    if (this.commands.length > 0) this.commands.length = 0;
    if (this.events.length > 0) this.events.length = 0;
  }

  /** `nowUs` of the tick being produced. */
  get atUs(): number {
    return this.nowUs;
  }

  /** Sequence number for the next event. */
  nextSeq(): number {
    return ++this.lastSeq;
  }

  /** A fresh command id (ICD-CMN-008: never 0, never repeated). */
  nextCommandId(): number {
    if (this.nextId > this.lastId)
      throw new ControlError('command-ids-exhausted', `command ids exhausted (last ${this.lastId})`);
    return this.nextId++;
  }

  command(command: ControlCommand): void {
    this.commands.push(command);
  }

  event(event: ControlEvent): void {
    this.events.push(event);
  }

  /** Highest command id issued so far (firstCommandId - 1 when none). */
  get lastCommandId(): number {
    return this.nextId - 1;
  }
}
