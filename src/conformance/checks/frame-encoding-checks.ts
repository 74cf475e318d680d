import { FRAME_DELIMITER, MAX_ENCODED_FRAME_BYTES } from '../../framing/index.js';
import { SCHEMA_HASH, encodeMessage } from '../../protocol/index.js';
import { ANSWER_WAIT_US, type CheckContext } from '../check-context.js';
import { currentStatus, probeCommand } from '../device-state.js';
import { deviceOutputFaults, echoesSeq, expectDiscarded, expectStillAnswering } from '../expect-discarded.js';
import { formatMs } from '../format-ms.js';
import { withBadCobs, overlongRun } from '../malformed-frames.js';
import type { RuleCheck } from '../rule-check.js';
import { OUTPUT_WATCH_US } from './malformed-frame-check.js';

/**
 * ICD-FRM-001: the device's frames are canonical COBS + one 0x00; it accepts a frame written one
 * byte at a time and two frames in one write; it discards a block that is not valid COBS.
 * (The "both forms" clause needs a body of 254+ bytes, which no host-to-device message has.)
 */
export const frm001Check: RuleCheck = {
  ruleId: 'ICD-FRM-001',
  title: 'frames are COBS + 0x00, canonical; any chunking accepted; bad COBS discarded',
  devices: ['radar', 'launcher'],
  async run(ctx: CheckContext) {
    const from = ctx.probe.cursor();
    ctx.step('watching the device output');
    await ctx.sleep(OUTPUT_WATCH_US);
    await expectSplitFrameAccepted(ctx);
    await expectBackToBackAccepted(ctx);
    const status = await currentStatus(ctx);
    const command = probeCommand(ctx, status);
    await expectDiscarded(ctx, [
      {
        label: 'a COBS code byte pointing past the block',
        bytes: withBadCobs(command),
        answeredBy: echoesSeq(command.seq),
      },
    ]);
    const nonCanonical = ctx.probe.since(from).filter((f) => f.message !== undefined && !f.canonical);
    if (nonCanonical.length > 0) {
      ctx.fail(
        `the device sent ${nonCanonical.length} frame(s) not in canonical COBS form (first: ${nonCanonical[0]!.message!.type})`,
      );
    }
    const faults = deviceOutputFaults(ctx, from, ['cobs']);
    if (faults !== undefined) ctx.fail(faults);
    ctx.note('receiving the non-canonical form needs a body of 254+ bytes, which no host-to-device message has');
  },
};

async function expectSplitFrameAccepted(ctx: CheckContext): Promise<void> {
  ctx.step('HELLO written one byte at a time');
  const wire = encodeMessage({
    type: 'HELLO',
    seq: ctx.probe.takeSeq(),
    flags: 0,
    schemaHash: SCHEMA_HASH,
    hostTimeUs: Math.floor(ctx.clock.nowUs()),
  });
  const from = ctx.probe.cursor();
  // The host heartbeat must not land between two of these bytes (on a loaded host the writes
  // span heartbeat periods): it would cut the HELLO, and the device would rightly discard both.
  ctx.probe.stopHeartbeat();
  try {
    for (const byte of wire) await ctx.sendRaw(Uint8Array.of(byte));
  } finally {
    ctx.probe.startHeartbeat();
  }
  const ident = await ctx.nextOf('IDENT', ctx.scaled(ANSWER_WAIT_US), { from });
  if (ident === undefined) ctx.fail('no IDENT to a HELLO written one byte at a time');
}

async function expectBackToBackAccepted(ctx: CheckContext): Promise<void> {
  ctx.step('two TIME_SYNC_REQUESTs in one write');
  const t1 = Math.floor(ctx.clock.nowUs());
  const first = encodeMessage({ type: 'TIME_SYNC_REQUEST', seq: ctx.probe.takeSeq(), flags: 0, t1HostUs: t1 });
  const second = encodeMessage({ type: 'TIME_SYNC_REQUEST', seq: ctx.probe.takeSeq(), flags: 0, t1HostUs: t1 + 1 });
  const sent = await ctx.sendRaw(Uint8Array.from([...first, ...second]));
  for (const echo of [t1, t1 + 1]) {
    const response = await ctx.nextOf('TIME_SYNC_RESPONSE', ctx.scaled(ANSWER_WAIT_US), {
      from: sent.cursor,
      where: (m) => m.t1HostUs === echo,
    });
    if (response === undefined) {
      ctx.fail(`of two TIME_SYNC_REQUESTs written back to back, the ${echo === t1 ? 'first' : 'second'} got no answer`);
    }
  }
}

/**
 * ICD-FRM-002: a run of more than 259 bytes without 0x00 is discarded up to the next 0x00 —
 * including a valid frame at its end — and the next frame is answered; empty blocks (idle 0x00)
 * are ignored. (A partial frame at end of stream cannot be observed over a live link.)
 */
export const frm002Check: RuleCheck = {
  ruleId: 'ICD-FRM-002',
  title: 'a run over 259 bytes without 0x00 is discarded, then resync at the next 0x00; idle 0x00 ignored',
  devices: ['radar', 'launcher'],
  async run(ctx: CheckContext) {
    const from = ctx.probe.cursor();
    const status = await currentStatus(ctx);
    const cases = [MAX_ENCODED_FRAME_BYTES + 1, MAX_ENCODED_FRAME_BYTES + 2, 300, 4096].map((junk) => {
      const command = probeCommand(ctx, status);
      return {
        label: `a valid frame ending a run of ${junk} junk bytes`,
        bytes: overlongRun(command, junk),
        answeredBy: echoesSeq(command.seq),
      };
    });
    await expectDiscarded(ctx, cases);
    ctx.step('a frame between idle 0x00 bytes');
    const t1 = Math.floor(ctx.clock.nowUs());
    const frame = encodeMessage({ type: 'TIME_SYNC_REQUEST', seq: ctx.probe.takeSeq(), flags: 0, t1HostUs: t1 });
    const idle = [FRAME_DELIMITER, FRAME_DELIMITER, FRAME_DELIMITER];
    const sent = await ctx.sendRaw(Uint8Array.from([...idle, ...frame, ...idle]));
    await ctx.sleep(ctx.scaled(ANSWER_WAIT_US));
    const answers = ctx.probe.messagesSince(sent.cursor, 'TIME_SYNC_RESPONSE').filter((r) => r.message.t1HostUs === t1);
    if (answers.length !== 1) {
      ctx.fail(
        `a TIME_SYNC_REQUEST between idle 0x00 bytes got ${answers.length} answers within ${formatMs(ctx.scaled(ANSWER_WAIT_US))}, expected 1`,
      );
    }
    await expectStillAnswering(ctx, 'the idle bytes');
    const faults = deviceOutputFaults(ctx, from, ['overlong-run']);
    if (faults !== undefined) ctx.fail(faults);
    ctx.note('partial frame at end of stream not observable over a live link');
  },
};
