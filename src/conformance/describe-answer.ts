/** How the kit names commands and answers in its results, and how it matches an answer to a command. */
import type { Message, MessageBody } from '../protocol/index.js';
import type { CommandOutcome } from './check-types.js';
import type { ReceivedFrame } from './probe-link.js';

/** `ARM 17`, `SLEW 18`, `RADAR_SET_MODE 19` for messages. */
export function describeCommand(body: MessageBody): string {
  const id = (body as { commandId?: number }).commandId;
  return id === undefined ? body.type : `${body.type} ${id}`;
}

/** `ACK`, `NAK late`, or what came instead (`no ACK or NAK echoing seq 56 (saw ACK with seq 57 …)`). */
export function describeAnswer(outcome: CommandOutcome): string {
  const answer = outcome.answer;
  if (answer !== undefined) return answer.type === 'ACK' ? 'ACK' : `NAK ${answer.reason}`;
  const seen: string[] = [];
  if (outcome.others.length > 0) seen.push(`saw ${[...new Set(outcome.others)].join(', ')}`);
  if (outcome.faults.length > 0) {
    seen.push(`undecodable frames: ${outcome.faults.map((f) => `${f.kind} (${f.detail})`).join(', ')}`);
  }
  const tries = outcome.attempts > 1 ? ` after ${outcome.attempts} transmissions` : '';
  return `no ACK or NAK echoing seq ${outcome.sent.message.seq}${tries}${seen.length > 0 ? ` (${seen.join('; ')})` : ''}`;
}

/** `ACK with seq 57 (type 0x41, command id 1234)`. */
export function describeAnswerFrame(m: Message<'ACK'> | Message<'NAK'>): string {
  const seq = m.type === 'ACK' ? m.ackedSeq : m.nakedSeq;
  const type = m.type === 'ACK' ? m.ackedType : m.nakedType;
  const what = m.type === 'ACK' ? 'ACK' : `NAK ${m.reason}`;
  return `${what} with seq ${seq} (type 0x${type.toString(16).padStart(2, '0')}, command id ${m.commandId})`;
}

/** Whether `frame` answers a command: by its seq, or by its type and command id. */
export function answers(frame: ReceivedFrame, seq: number, typeCode: number, commandId: number): 'seq' | 'id' | 'no' {
  const m = frame.message;
  if (m?.type !== 'ACK' && m?.type !== 'NAK') return 'no';
  const echoedSeq = m.type === 'ACK' ? m.ackedSeq : m.nakedSeq;
  const echoedType = m.type === 'ACK' ? m.ackedType : m.nakedType;
  if (echoedSeq === seq && echoedType === typeCode) return 'seq';
  // commandId 0 too: the kit never has two commands of one type and id in flight at once.
  if (m.commandId === commandId && echoedType === typeCode) return 'id';
  return 'no';
}

/** The command id of a message, 0 when it has none (FIRE_REPORT: its fireCommandId). */
export function commandIdOf(message: Message): number {
  if ('commandId' in message) return message.commandId;
  if ('fireCommandId' in message) return message.fireCommandId;
  return 0;
}
