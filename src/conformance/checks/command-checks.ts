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
  ensureHeartbeat,
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
    // Refused by a conforming device (ABORT of a FIRE never sent, a launcher command to a radar);
    // only the timing and the echo are judged here, ACK or NAK alike (the refusal is other rules').
    const refused = (): MessageBody =>
      ctx.device === 'radar'
        ? { type: 'ARM', commandId: ctx.newCommandId() }
        : { type: 'ABORT', commandId: ctx.newCommandId(), fireCommandId: ctx.newCommandId() };
    const bound = ctx.hostBound(ACK_DEADLINE_US);
    let worstUs = 0;
    for (const body of [accepted(), refused(), accepted(), refused(), accepted()]) {
      ctx.step(`${describeCommand(body)}`);
      const outcome = await ctx.command(body, { attempts: 1 });
      const answer = outcome.answer;
      if (answer === undefined) ctx.fail(`to ${describeCommand(body)}: ${describeAnswer(outcome)}`);
      if (outcome.echoProblem !== undefined) ctx.fail(`to ${describeCommand(body)}: ${outcome.echoProblem}`);
      checkEcho(ctx, body, outcome);
      worstUs = Math.max(worstUs, outcome.latencyUs!);
      if (outcome.latencyUs! > bound) {
        ctx.fail(
          `${answer.type} to ${describeCommand(body)} after ${formatMs(outcome.latencyUs!)}, ${ctx.boundText(ACK_DEADLINE_US, bound)}`,
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
  dependsOn: ['ICD-CMN-010'],
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
  dependsOn: ['ICD-LNCH-002', 'ICD-LNCH-005', 'ICD-LNCH-011', 'ICD-CMN-007'],
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

/** The same frame again, with the retransmission flag or (`flagged` false) as duplicated on the line. */
function repeatOf(sent: Message, flagged = true): Message {
  return { ...sent, flags: sent.flags | FLAG_ACK_REQUESTED | (flagged ? FLAG_RETRANSMISSION : 0) };
}

/** A repeat must be ACKed again (echoing the original seq). */
async function expectAckedAgain(ctx: CheckContext, original: Message, flagged = true): Promise<void> {
  const what = flagged ? 'a retransmission' : 'a duplicate without the retransmission flag';
  ctx.step(`${what} of ${original.type}`);
  const sent = await ctx.sendMessage(repeatOf(original, flagged));
  const outcome = await ctx.answerTo(sent);
  if (outcome.answer?.type !== 'ACK') {
    ctx.fail(
      `${what} of the executed ${describeCommand(original as MessageBody)} got ${describeAnswer(outcome)}, expected ACK again`,
    );
  }
}

/** commandId 0 → NAK bad-field (ICD-CMN-008). */
async function expectIdZeroRefused(ctx: CheckContext, body: MessageBody): Promise<void> {
  ctx.step(`${body.type} with commandId 0`);
  const outcome = await ctx.command(body);
  if (outcome.answer?.type !== 'NAK' || outcome.answer.reason !== 'bad-field') {
    ctx.fail(`expected NAK bad-field to ${body.type} with commandId 0, got ${describeAnswer(outcome)}`);
  }
}

/**
 * ICD-CMN-008 on a radar: RADAR_SET_MODE with commandId 0 → NAK bad-field; RADAR_SET_MODE X to
 * another mode, then Y back; a retransmission of X and a duplicate of X without the flag are
 * ACKed again and the mode stays (X is not executed twice).
 */
export const cmn008RadarCheck: RuleCheck = {
  ruleId: 'ICD-CMN-008',
  title: 'commandId 0 is refused; a repeated command is ACKed again and not executed again',
  devices: ['radar'],
  dependsOn: ['ICD-RDR-002'],
  async run(ctx: CheckContext) {
    const start = await expectRadarStatus(ctx, '', () => true);
    const home = start.message.mode;
    const away = otherRadarMode(home);
    await expectIdZeroRefused(ctx, { type: 'RADAR_SET_MODE', commandId: 0, mode: away });
    ctx.step(`RADAR_SET_MODE ${away}`);
    const x = await ctx.expectAck({ type: 'RADAR_SET_MODE', commandId: ctx.newCommandId(), mode: away });
    await expectRadarStatus(ctx, `showing ${away}`, (s) => s.mode === away, { from: x.sent.cursor });
    await setRadarMode(ctx, home);
    for (const flagged of [true, false]) {
      await expectAckedAgain(ctx, x.sent.message, flagged);
      const status = await freshStatus(ctx);
      if (status.message.type === 'RADAR_STATUS' && status.message.mode !== home) {
        ctx.fail(`a repeat of RADAR_SET_MODE ${away} was executed again (mode ${home} → ${status.message.mode})`);
      }
    }
  },
};

/**
 * ICD-CMN-008 on a launcher: ARM with commandId 0 → NAK bad-field; ARM X, SAFE Y, then a
 * retransmission of X and a duplicate without the flag are ACKed again and the launcher stays
 * SAFE; a FIRE pending, its retransmission is ACKed again and it stays the one pending (not busy,
 * not a second FIRE).
 */
export const cmn008LauncherCheck: RuleCheck = {
  ruleId: 'ICD-CMN-008',
  title: 'commandId 0 is refused; a repeated command is ACKed again and not executed again',
  devices: ['launcher'],
  dependsOn: ['ICD-LNCH-002', 'ICD-CMN-007', 'ICD-LNCH-010'],
  async run(ctx: CheckContext) {
    await ensureHeartbeat(ctx);
    await expectIdZeroRefused(ctx, { type: 'ARM', commandId: 0 });
    const x = await expectArmAck(ctx);
    await expectLauncherStatus(
      ctx,
      'showing ARMING or ARMED after ARM',
      (s) => s.state === 'arming' || s.state === 'armed',
      { from: x.sent.cursor },
    );
    await commandSafe(ctx);
    for (const flagged of [true, false]) {
      await expectAckedAgain(ctx, x.sent.message, flagged);
      const status = await freshStatus(ctx);
      if (status.message.type === 'LAUNCHER_STATUS' && status.message.state !== 'safe') {
        ctx.fail(
          `a ${flagged ? 'retransmitted' : 'duplicated'} ARM was executed again (state ${status.message.state})`,
        );
      }
      if (status.message.type === 'LAUNCHER_STATUS' && status.message.state === 'safe') continue;
    }
    const { fire, accepted } = await armWithPendingFire(ctx, 'to be retransmitted');
    await expectAckedAgain(ctx, accepted.sent.message);
    const pending = await freshStatus(ctx);
    if (pending.message.type === 'LAUNCHER_STATUS' && pending.message.pendingFireCommandId !== fire.commandId) {
      ctx.fail(
        `after a retransmission of the pending FIRE ${fire.commandId} the pending FIRE is ${pending.message.pendingFireCommandId}`,
      );
    }
    ctx.step('ABORT');
    await ctx.expectAck({ type: 'ABORT', commandId: ctx.newCommandId(), fireCommandId: fire.commandId });
    await expectAckedAgain(ctx, accepted.sent.message);
    const after = await freshStatus(ctx);
    if (after.message.type === 'LAUNCHER_STATUS' && after.message.pendingFireCommandId !== 0) {
      await cancelUnexpectedFire(ctx, after.message.pendingFireCommandId);
      ctx.fail(`a retransmission of the aborted FIRE ${fire.commandId} made it pending again`);
    }
    await commandSafe(ctx);
  },
};
