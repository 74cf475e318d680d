import type { NAK_REASONS } from '../../src/protocol/catalogue/common-messages.js';
import type { Message } from '../../src/protocol/message-types.js';
import { SimulatorError } from '../simulator-error.js';

/** A NAK reason code (ICD-CMN-006). */
export type NakReason = (typeof NAK_REASONS)[number];

/**
 * What a behaviour sees of one host message and how it answers.
 *
 * Contract:
 * - `ack()` / `nak()` answer an acknowledged frame (ICD-CMN-005) at most once: the answer echoes
 *   seq, type and command id, is remembered so a retransmission of the same frame gets the same
 *   answer without re-executing (ICD-CMN-008), and leaves as an urgent frame (within the 20 ms
 *   deadline unless a `slow` fault delays it). `ack()` also marks the command id executed.
 * - Calling either on a frame that did not ask for an answer does nothing.
 */
export interface BehaviourContext<D> {
  readonly device: D;
  readonly message: Message;
  /** Device time at the end of reception of the frame (its 0x00). */
  readonly receivedAtDeviceUs: number;
  /** Shared-clock time of reception. */
  readonly receivedAtUs: number;
  /** The frame's command id, 0 when it has none. */
  readonly commandId: number;
  /** Whether the frame asked for ACK/NAK. */
  readonly acknowledged: boolean;
  /** Whether ack() or nak() was called. */
  readonly answered: boolean;
  ack(): void;
  nak(reason: NakReason): void;
}

/**
 * A small named responder (the zwave-js MockController pattern, docs/decisions/0006-firmware-simulator.md). A device runs
 * each host message through its behaviours in priority order; the first whose `onHostMessage`
 * returns true has handled it and the rest do not see it. Tests add behaviours on top, or
 * replace a default one by name (e.g. `fire`) to make the firmware misbehave on purpose.
 */
export interface DeviceBehaviour<D> {
  readonly name: string;
  onHostMessage(ctx: BehaviourContext<D>): boolean;
}

/** A device's behaviours, highest priority first. */
export class BehaviourChain<D> {
  private readonly list: DeviceBehaviour<D>[] = [];

  constructor(defaults: readonly DeviceBehaviour<D>[] = []) {
    this.list.push(...defaults);
  }

  /** Names in priority order. */
  get names(): string[] {
    return this.list.map((b) => b.name);
  }

  /** Add on top: it sees every message before the others. */
  add(behaviour: DeviceBehaviour<D>): void {
    this.list.unshift(behaviour);
  }

  /** Add just below the behaviour named `name`. */
  addAfter(name: string, behaviour: DeviceBehaviour<D>): void {
    this.list.splice(this.indexOf(name) + 1, 0, behaviour);
  }

  /** Replace the first behaviour named `name`, keeping its place. Returns the one replaced. */
  replace(name: string, behaviour: DeviceBehaviour<D>): DeviceBehaviour<D> {
    const index = this.indexOf(name);
    const [old] = this.list.splice(index, 1, behaviour);
    return old!;
  }

  /** Remove the first behaviour named `name`. Returns it. */
  remove(name: string): DeviceBehaviour<D> {
    const [old] = this.list.splice(this.indexOf(name), 1);
    return old!;
  }

  get(name: string): DeviceBehaviour<D> | undefined {
    return this.list.find((b) => b.name === name);
  }

  /** Run a message through the chain; true when some behaviour handled it. */
  dispatch(ctx: BehaviourContext<D>): boolean {
    for (const behaviour of [...this.list]) {
      if (behaviour.onHostMessage(ctx)) return true;
    }
    return false;
  }

  private indexOf(name: string): number {
    const index = this.list.findIndex((b) => b.name === name);
    if (index < 0) {
      throw new SimulatorError('unknown-behaviour', `no behaviour named '${name}' (have ${this.names.join(', ')})`);
    }
    return index;
  }
}

/** A behaviour from a name and a function. */
export function behaviour<D>(name: string, onHostMessage: (ctx: BehaviourContext<D>) => boolean): DeviceBehaviour<D> {
  return { name, onHostMessage };
}
