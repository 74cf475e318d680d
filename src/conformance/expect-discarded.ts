import type { Message } from '../protocol/index.js';
import { type CheckContext, SILENCE_WINDOW_US } from './check-context.js';
import { freshStatus, statusChanges } from './device-state.js';
import { formatMs } from './format-ms.js';
import type { FrameFaultKind } from './inspect-frame.js';
import type { ReceivedFrame } from './probe-link.js';

/** One deliberately malformed frame and how to recognise an answer to it. */
export interface MalformedCase {
  /** What is broken, for messages: `bad CRC`, `version 2`. */
  readonly label: string;
  readonly bytes: Uint8Array;
  /** Whether a received frame answers this case (a conforming device never sends one). */
  readonly answeredBy: (frame: ReceivedFrame) => boolean;
}

/** An ACK or NAK echoing `seq`: the answer to an acknowledged frame. */
export function echoesSeq(seq: number): (frame: ReceivedFrame) => boolean {
  return (frame) =>
    (frame.message?.type === 'ACK' && frame.message.ackedSeq === seq) ||
    (frame.message?.type === 'NAK' && frame.message.nakedSeq === seq);
}

/** Any message of `type` (IDENT answers HELLO, TIME_SYNC_RESPONSE answers TIME_SYNC_REQUEST). */
export function isType(type: Message['type']): (frame: ReceivedFrame) => boolean {
  return (frame) => frame.message?.type === type;
}

/** Options of {@link expectDiscarded}. */
export interface ExpectDiscardedOptions {
  /** Send all cases back to back and listen once, instead of one window per case. */
  readonly burst?: boolean;
}

/**
 * Send malformed frames and check that the device discards them (ICD-FRM-010): no answer to
 * any, no change in its status (and no restart: its heartbeat count keeps counting), and it
 * still answers a valid TIME_SYNC_REQUEST afterwards (it resynchronised at the next 0x00).
 */
export async function expectDiscarded(
  ctx: CheckContext,
  cases: readonly MalformedCase[],
  options: ExpectDiscardedOptions = {},
): Promise<void> {
  ctx.step('reading the status before the malformed frames');
  const before = await freshStatus(ctx, ' before the malformed frames');
  const heartbeatBefore = ctx.probe.last('HEARTBEAT')?.message.heartbeatCount;
  const answered: string[] = [];
  const window = ctx.scaled(SILENCE_WINDOW_US);
  if (options.burst === true) {
    ctx.step(`sending ${cases.length} malformed frames back to back`);
    const from = ctx.probe.cursor();
    for (const c of cases) await ctx.sendRaw(c.bytes);
    await ctx.sleep(window);
    for (const c of cases) {
      const answer = ctx.probe.since(from).find(c.answeredBy);
      if (answer !== undefined) answered.push(`${c.label} → ${describeFrame(answer)}`);
    }
  } else {
    for (const c of cases) {
      ctx.step(`sending a frame with ${c.label}`);
      const sent = await ctx.sendRaw(c.bytes);
      const answer = await ctx.next(c.answeredBy, window, sent.cursor);
      if (answer !== undefined) answered.push(`${c.label} → ${describeFrame(answer)}`);
    }
  }
  if (answered.length > 0) ctx.fail(`answered frames it must discard: ${answered.join('; ')}`);
  ctx.step('reading the status after the malformed frames');
  const after = await freshStatus(ctx, ' after the malformed frames');
  const changes = statusChanges(before.message, after.message);
  if (changes.length > 0) ctx.fail(`malformed frames changed the device state: ${changes.join(', ')}`);
  const heartbeatAfter = ctx.probe.last('HEARTBEAT')?.message.heartbeatCount;
  if (heartbeatBefore !== undefined && heartbeatAfter !== undefined && heartbeatAfter < heartbeatBefore) {
    ctx.fail(`the device restarted: heartbeatCount went from ${heartbeatBefore} to ${heartbeatAfter}`);
  }
  await expectStillAnswering(ctx);
}

/** A valid TIME_SYNC_REQUEST is still answered (the receiver resynchronised). */
export async function expectStillAnswering(ctx: CheckContext, after = 'the malformed frames'): Promise<void> {
  ctx.step(`TIME_SYNC_REQUEST after ${after}`);
  const t1 = Math.floor(ctx.clock.nowUs());
  const sent = await ctx.send({ type: 'TIME_SYNC_REQUEST', t1HostUs: t1 });
  const wait = ctx.hostBound(100_000);
  const response = await ctx.nextOf('TIME_SYNC_RESPONSE', wait, { from: sent.cursor, where: (m) => m.t1HostUs === t1 });
  if (response === undefined) {
    ctx.fail(
      `no TIME_SYNC_RESPONSE to a valid request within ${formatMs(wait)} after ${after} (no resynchronisation?)`,
    );
  }
}

/** Device frames since `from` that broke the rule of one of `kinds`, as a failure message, or undefined. */
export function deviceOutputFaults(
  ctx: CheckContext,
  from: number,
  kinds: readonly FrameFaultKind[],
): string | undefined {
  const bad = ctx.probe.since(from).filter((f) => f.fault !== undefined && kinds.includes(f.fault.kind));
  if (bad.length === 0) return undefined;
  const first = bad[0]!.fault!;
  return `the device sent ${bad.length} invalid frame${bad.length === 1 ? '' : 's'} (first: ${first.kind}: ${first.detail})`;
}

/** `ACK`, `NAK bad-field`, `IDENT` … for messages. */
export function describeFrame(frame: ReceivedFrame): string {
  const m = frame.message;
  if (m === undefined) return `an invalid frame (${frame.fault?.kind ?? 'unknown'})`;
  return m.type === 'NAK' ? `NAK ${m.reason}` : m.type;
}
