import type { Message, MessageBody } from '../../src/protocol/message-types.js';
import { FIRE_ID_MEMORY } from '../../src/protocol/timing-rules.js';

/** Answers remembered for retransmissions. */
export const ANSWER_MEMORY = 256;
/** Executed FIRE ids remembered (ICD-LNCH-008 asks at least FIRE_ID_MEMORY). */
export const EXECUTED_FIRE_ID_MEMORY = Math.max(4096, FIRE_ID_MEMORY);

/** The command id of a message, 0 when it has none. */
export function commandIdOf(message: Message): number {
  const id = (message as { commandId?: unknown }).commandId;
  return typeof id === 'number' ? id : 0;
}

/**
 * What a device remembers about host commands (ICD-CMN-005, ICD-CMN-008, ICD-LNCH-008), across
 * sessions until power-off:
 * - the ACK of each executed command, keyed by type, seq and command id, so a retransmission
 *   (same seq) is ACKed again and never re-executed (refusals are not kept: re-evaluated);
 * - the ids of executed FIRE commands, so a different command reusing one is refused.
 * Both bounded, oldest forgotten first.
 */
export class CommandMemory {
  private readonly answers = new Map<string, MessageBody>();
  private readonly executed = new Set<number>();

  rememberAnswer(message: Message, answer: MessageBody): void {
    const key = answerKey(message);
    this.answers.delete(key);
    this.answers.set(key, answer);
    if (this.answers.size > ANSWER_MEMORY) this.answers.delete(this.answers.keys().next().value!);
  }

  /** The answer given to this very frame (same type, seq and command id), if any. */
  answerTo(message: Message): MessageBody | undefined {
    return this.answers.get(answerKey(message));
  }

  markExecutedFire(commandId: number): void {
    if (commandId === 0) return;
    this.executed.delete(commandId);
    this.executed.add(commandId);
    if (this.executed.size > EXECUTED_FIRE_ID_MEMORY) this.executed.delete(this.executed.values().next().value!);
  }

  /** Whether `commandId` is the id of an executed FIRE. */
  wasExecutedFire(commandId: number): boolean {
    return this.executed.has(commandId);
  }
}

function answerKey(message: Message): string {
  return `${message.type}:${message.seq}:${commandIdOf(message)}`;
}
