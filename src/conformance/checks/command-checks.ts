import { FLAG_ACK_REQUESTED, FLAG_RETRANSMISSION } from '../../framing/index.js';
import { CATALOGUE, type Message, type MessageBody } from '../../protocol/index.js';
import { ACK_DEADLINE_US } from '../../protocol/timing-rules.js';
import { type CheckContext, type CommandOutcome, describeAnswer, describeCommand } from '../check-context.js';
import { currentStatus, freshStatus, otherRadarMode, statusChanges } from '../device-state.js';
import { formatMs } from '../format-ms.js';
import {
  abortableFire,
  armWithPendingFire,
  cancelUnexpectedFire,
  commandSafe,
  expectArmAck,
  expectLauncherStatus,
} from '../launcher-ops.js';
import { expectRadarStatus, setRadarMode } from '../radar-ops.js';
import type { RuleCheck } from '../rule-check.js';

/**
 * ICD-CMN-005: ACK and NAK within 20 ms (host-observed, scaled) echoing seq, type and command
 * id — on commands the device accepts and on commands it refuses.
 */
export const cmn005Check: RuleCheck = {
  ruleId: 'ICD-CMN-005',
  title: 'ACK/NAK within 20 ms echoing seq, type and command id',
  devices: ['radar', 'launcher'],
  async run(ctx: CheckContext) {
    const status = await currentStatus(ctx);
    const accepted = (): MessageBody =>
      status.type === 'RADAR_STATUS'
        ? { type: 'RADAR_SET_MODE', commandId: ctx.newCommandId(), mode: status.mode }
        : { type: 'SAFE', commandId: ctx.newCommandId() };
    // Refused by any conforming device: a launcher command to a radar, a SLEW beyond 360° to a launcher.
    const refused = (): MessageBody =>
      ctx.device === 'radar'
        ? { type: 'ARM', commandId: ctx.newCommandId() }
        : { type: 'SLEW', commandId: ctx.newCommandId(), azimuthDeg: 400, elevationDeg: 45 };
    const bound = ctx.hostBound(ACK_DEADLINE_US);
    let worstUs = 0;
    for (const [body, expected] of [
      [accepted(), 'ACK'],
      [refused(), 'NAK'],
      [accepted(), 'ACK'],
      [refused(), 'NAK'],
      [accepted(), 'ACK'],
    ] as const) {
      ctx.step(`${describeCommand(body)}`);
      const outcome = await ctx.command(body);
      const answer = outcome.answer;
      if (answer === undefined) {
        const other = ctx.probe
          .since(outcome.sent.cursor)
          .find((f) => f.message?.type === 'ACK' || f.message?.type === 'NAK');
        if (other?.message !== undefined) {
          const echoed =
            other.message.type === 'ACK' ? other.message.ackedSeq : (other.message as Message<'NAK'>).nakedSeq;
          ctx.fail(
            `the ${other.message.type} to ${describeCommand(body)} echoes seq ${echoed}, expected ${outcome.sent.message.seq}`,
          );
        }
        ctx.fail(`no ACK or NAK to ${describeCommand(body)} (${describeAnswer(outcome)})`);
      }
      if (answer.type !== expected)
        ctx.fail(`expected ${expected} to ${describeCommand(body)}, got ${describeAnswer(outcome)}`);
      checkEcho(ctx, body, outcome);
      worstUs = Math.max(worstUs, outcome.latencyUs!);
      if (outcome.latencyUs! > bound) {
        ctx.fail(
          `${answer.type} to ${describeCommand(body)} after ${formatMs(outcome.latencyUs!)}, limit ${formatMs(bound)}`,
        );
      }
    }
    ctx.note(`slowest answer ${formatMs(worstUs)}`);
  },
};

function checkEcho(ctx: CheckContext, body: MessageBody, outcome: CommandOutcome): void {
  const answer = outcome.answer!;
  const typeCode = answer.type === 'ACK' ? answer.ackedType : answer.nakedType;
  const expectedType = CATALOGUE[body.type].code;
  if (typeCode !== expectedType) {
    ctx.fail(
      `the ${answer.type} to ${describeCommand(body)} echoes type 0x${typeCode.toString(16)}, expected 0x${expectedType.toString(16)}`,
    );
  }
  const commandId = (body as { commandId?: number }).commandId ?? 0;
  if (answer.commandId !== commandId) {
    ctx.fail(
      `the ${answer.type} to ${describeCommand(body)} echoes command id ${answer.commandId}, expected ${commandId}`,
    );
  }
}

/** Refuse, expecting a NAK of any reason (the reason decodes, so it is in the table), and no ACK. */
async function expectRefused(ctx: CheckContext, body: MessageBody): Promise<string> {
  ctx.step(describeCommand(body));
  const outcome = await ctx.command(body);
  if (outcome.answer?.type !== 'NAK') {
    if (outcome.answer?.type === 'ACK' && body.type === 'FIRE') await cancelUnexpectedFire(ctx, body.commandId);
    ctx.fail(`expected a NAK to ${describeCommand(body)}, got ${describeAnswer(outcome)}`);
  }
  return outcome.answer.reason;
}

/** ICD-CMN-006 on a radar: a launcher command is refused with a NAK and changes nothing. */
export const cmn006RadarCheck: RuleCheck = {
  ruleId: 'ICD-CMN-006',
  title: 'a refused command gets a NAK with a defined reason and has no effect',
  devices: ['radar'],
  async run(ctx: CheckContext) {
    const before = await freshStatus(ctx);
    const reasons = [
      await expectRefused(ctx, { type: 'ARM', commandId: ctx.newCommandId() }),
      await expectRefused(ctx, { type: 'SAFE', commandId: ctx.newCommandId() }),
    ];
    await expectNoEffect(ctx, before.message, reasons);
  },
};

/**
 * ICD-CMN-006 on a launcher: SLEW out of range, FIRE while SAFE and ARM without host heartbeat
 * are refused with NAKs and change nothing (state, pending FIRE, last command id).
 */
export const cmn006LauncherCheck: RuleCheck = {
  ruleId: 'ICD-CMN-006',
  title: 'a refused command gets a NAK with a defined reason and has no effect',
  devices: ['launcher'],
  async run(ctx: CheckContext) {
    const before = await freshStatus(ctx);
    const reasons = [
      await expectRefused(ctx, { type: 'SLEW', commandId: ctx.newCommandId(), azimuthDeg: 45, elevationDeg: 120 }),
      await expectRefused(ctx, await abortableFire(ctx)),
    ];
    ctx.step('stopping the host heartbeat');
    ctx.probe.stopHeartbeat();
    // The watchdog may trip meanwhile (a state change of its own): take a new snapshot after it.
    await ctx.sleep(ctx.hostBound(300_000));
    const quiet = await freshStatus(ctx);
    reasons.push(await expectRefused(ctx, { type: 'ARM', commandId: ctx.newCommandId() }));
    await expectNoEffect(ctx, quiet.message, reasons);
    const firstChanges = statusChanges(before.message, quiet.message).filter((c) => c.startsWith('lastCommandId'));
    if (firstChanges.length > 0) ctx.fail(`refused commands changed ${firstChanges.join(', ')}`);
    ctx.probe.startHeartbeat();
  },
};

async function expectNoEffect(
  ctx: CheckContext,
  before: Message<'RADAR_STATUS'> | Message<'LAUNCHER_STATUS'>,
  reasons: string[],
): Promise<void> {
  ctx.step('reading the status after the refusals');
  const after = await freshStatus(ctx, ' after the refusals');
  const changes = statusChanges(before, after.message);
  if (changes.length > 0) ctx.fail(`refused commands had an effect: ${changes.join(', ')}`);
  ctx.note(`NAK reasons: ${reasons.join(', ')}`);
}

/** The same frame again with the retransmission flag (same seq, same command id). */
function retransmission(sent: Message): Message {
  return { ...sent, flags: sent.flags | FLAG_ACK_REQUESTED | FLAG_RETRANSMISSION };
}

/** A retransmission must be ACKed again echoing the original seq. */
async function expectAckedAgain(ctx: CheckContext, original: Message): Promise<void> {
  ctx.step(`retransmitting ${original.type}`);
  const sent = await ctx.sendMessage(retransmission(original));
  const outcome = await ctx.answerTo(sent);
  if (outcome.answer?.type !== 'ACK') {
    ctx.fail(
      `a retransmission of the executed ${describeCommand(original as MessageBody)} got ${describeAnswer(outcome)}, expected ACK again`,
    );
  }
}

/**
 * ICD-CMN-008 on a radar: RADAR_SET_MODE X to another mode, then Y back; a retransmission of X
 * is ACKed again and the mode stays (X is not executed twice).
 */
export const cmn008RadarCheck: RuleCheck = {
  ruleId: 'ICD-CMN-008',
  title: 'a retransmitted command is ACKed again and not executed again',
  devices: ['radar'],
  async run(ctx: CheckContext) {
    const start = await expectRadarStatus(ctx, '', () => true);
    const home = start.message.mode;
    const away = otherRadarMode(home);
    ctx.step(`RADAR_SET_MODE ${away}`);
    const x = await ctx.expectAck({ type: 'RADAR_SET_MODE', commandId: ctx.newCommandId(), mode: away });
    await expectRadarStatus(ctx, `showing ${away}`, (s) => s.mode === away, { from: x.sent.cursor });
    await setRadarMode(ctx, home);
    await expectAckedAgain(ctx, x.sent.message);
    for (let i = 0; i < 2; i++) {
      const status = await freshStatus(ctx);
      if (status.message.type === 'RADAR_STATUS' && status.message.mode !== home) {
        ctx.fail(`the retransmitted RADAR_SET_MODE ${away} was executed again (mode ${home} → ${status.message.mode})`);
      }
    }
    ctx.note('reuse of a FIRE id applies to launchers only');
  },
};

/**
 * ICD-CMN-008 on a launcher: ARM X, SAFE Y, then a retransmission of X is ACKed again and the
 * launcher stays SAFE; a FIRE accepted then aborted, its id reused by a new FIRE → NAK
 * duplicate-command.
 */
export const cmn008LauncherCheck: RuleCheck = {
  ruleId: 'ICD-CMN-008',
  title: 'a retransmitted command is ACKed again and not executed again; a reused FIRE id is refused duplicate-command',
  devices: ['launcher'],
  async run(ctx: CheckContext) {
    const x = await expectArmAck(ctx);
    await expectLauncherStatus(
      ctx,
      'showing ARMING or ARMED after ARM',
      (s) => s.state === 'arming' || s.state === 'armed',
      {
        from: x.sent.cursor,
      },
    );
    await commandSafe(ctx);
    await expectAckedAgain(ctx, x.sent.message);
    for (let i = 0; i < 2; i++) {
      const status = await freshStatus(ctx);
      if (status.message.type === 'LAUNCHER_STATUS' && status.message.state !== 'safe') {
        ctx.fail(`the retransmitted ARM was executed again (state ${status.message.state})`);
      }
    }
    const { fire } = await armWithPendingFire(ctx, 'to be aborted');
    ctx.step('ABORT');
    await ctx.expectAck({ type: 'ABORT', commandId: ctx.newCommandId(), fireCommandId: fire.commandId });
    ctx.step('a new FIRE reusing the aborted FIRE id');
    const reuse = await abortableFire(ctx, fire.commandId);
    const outcome = await ctx.command({ ...reuse, executeAtUs: reuse.executeAtUs + 1_000 });
    if (outcome.answer?.type === 'ACK') await cancelUnexpectedFire(ctx, fire.commandId);
    if (outcome.answer?.type !== 'NAK' || outcome.answer.reason !== 'duplicate-command') {
      ctx.fail(
        `expected NAK duplicate-command to a new FIRE reusing id ${fire.commandId}, got ${describeAnswer(outcome)}`,
      );
    }
    await commandSafe(ctx);
  },
};
