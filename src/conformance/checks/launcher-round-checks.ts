import { FLAG_RETRANSMISSION } from '../../framing/index.js';
import { CATALOGUE, type Message } from '../../protocol/index.js';
import { FIRE_REPORT_DEADLINE_US, FIRE_REPORT_REPEAT_MAX_US } from '../../protocol/timing-rules.js';
import { type CheckContext, describeAnswer } from '../check-context.js';
import { freshStatus } from '../device-state.js';
import { formatMs } from '../format-ms.js';
import {
  armLauncher,
  armWithPendingFire,
  cancelUnexpectedFire,
  commandSafe,
  fireCommand,
  SAFE_FIRE_LEAD_US,
} from '../launcher-ops.js';
import type { RuleCheck } from '../rule-check.js';
import { EXECUTE_LEAD_US } from './launcher-fire-checks.js';

/** An aim point no launcher of the ICD reaches: 1,000 km east of the bench origin, at 10 km. */
export const UNREACHABLE_AIM = { eastM: 1_000_000, northM: 0, upM: 10_000 } as const;

/** ICD-LNCH-013: FIRE at a point below the ground and at one 1,000 km away → NAK out-of-envelope. */
export const lnch013Check: RuleCheck = {
  ruleId: 'ICD-LNCH-013',
  title: 'FIRE at an aim point below the ground or beyond reach is refused with NAK out-of-envelope',
  devices: ['launcher'],
  dependsOn: ['ICD-LNCH-002', 'ICD-CMN-007'],
  async run(ctx: CheckContext) {
    await armLauncher(ctx);
    const now = await ctx.deviceNowUs();
    const cases = [
      ['below the ground', { aimEastM: 1000, aimNorthM: 1000, aimUpM: -100 }],
      [
        '1,000 km away',
        { aimEastM: UNREACHABLE_AIM.eastM, aimNorthM: UNREACHABLE_AIM.northM, aimUpM: UNREACHABLE_AIM.upM },
      ],
    ] as const;
    for (const [what, aim] of cases) {
      const fire = { ...fireCommand(ctx, now + SAFE_FIRE_LEAD_US), ...aim };
      ctx.step(`FIRE aimed ${what}`);
      const outcome = await ctx.command(fire);
      if (outcome.answer?.type === 'ACK') await cancelUnexpectedFire(ctx, fire.commandId);
      if (outcome.answer?.type !== 'NAK' || outcome.answer.reason !== 'out-of-envelope') {
        ctx.fail(`expected NAK out-of-envelope to FIRE aimed ${what}, got ${describeAnswer(outcome)}`);
      }
    }
    await commandSafe(ctx);
  },
};

/**
 * ICD-LNCH-014: ARMED with no round ready, FIRE → NAK no-rounds and still ARMED. With rounds
 * ready the kit launches them (allowFire) until none is left; runs last of the launcher checks.
 */
export const lnch014Check: RuleCheck = {
  ruleId: 'ICD-LNCH-014',
  title: 'ARMED with no round ready, FIRE is refused with NAK no-rounds and the launcher stays ARMED',
  devices: ['launcher'],
  fires: 'executes',
  dependsOn: ['ICD-LNCH-002', 'ICD-CMN-007', 'ICD-LNCH-009'],
  budgetUs: 120_000_000,
  async run(ctx: CheckContext) {
    let { armed } = await armLauncher(ctx);
    for (let launched = 0; armed.message.roundsReady > 0; launched++) {
      if (launched >= 32) ctx.skip(`still ${armed.message.roundsReady} round(s) ready after 32 launches`);
      const fire = fireCommand(ctx, (await ctx.deviceNowUs()) + ctx.scaled(EXECUTE_LEAD_US));
      ctx.step(`launching to empty the launcher (${armed.message.roundsReady} round(s) ready)`);
      const accepted = await ctx.expectAck(fire);
      await ctx.expectNext('FIRE_REPORT', `for FIRE ${fire.commandId}`, ctx.scaled(EXECUTE_LEAD_US + 4_000_000), {
        from: accepted.sent.cursor,
        where: (m) => m.fireCommandId === fire.commandId,
      });
      const status = await ctx.nextOf('LAUNCHER_STATUS', ctx.statusWaitUs(), {
        from: accepted.sent.cursor,
        where: (m) => m.state === 'armed' && m.roundsReady < armed.message.roundsReady,
      });
      if (status === undefined)
        ctx.blocked('ICD-LNCH-009', 'after a launch no status showed ARMED with one round less');
      armed = status;
    }
    const fire = fireCommand(ctx, (await ctx.deviceNowUs()) + SAFE_FIRE_LEAD_US);
    ctx.step('FIRE with no round ready');
    const outcome = await ctx.command(fire);
    if (outcome.answer?.type === 'ACK') await cancelUnexpectedFire(ctx, fire.commandId);
    if (outcome.answer?.type !== 'NAK' || outcome.answer.reason !== 'no-rounds') {
      ctx.fail(`expected NAK no-rounds to FIRE with no round ready, got ${describeAnswer(outcome)}`);
    }
    const after = await freshStatus(ctx);
    if (after.message.type === 'LAUNCHER_STATUS' && after.message.state !== 'armed') {
      ctx.fail(`with no round ready the launcher went ${after.message.state}, expected to stay ARMED`);
    }
    await commandSafe(ctx);
  },
};

/**
 * ICD-LNCH-015: ABORT a pending FIRE, the kit silent: FIRE_REPORT with the ACK-requested flag
 * within 20 ms of the ABORT; repeated (retransmission flag) at most 200 ms apart, three times;
 * a NAK from the host ends the repetition like an ACK does.
 */
export const lnch015Check: RuleCheck = {
  ruleId: 'ICD-LNCH-015',
  title: 'FIRE_REPORT within 20 ms, repeated at most 200 ms apart until the host answers ACK or NAK',
  devices: ['launcher'],
  dependsOn: ['ICD-LNCH-002', 'ICD-LNCH-010', 'ICD-CMN-007'],
  async run(ctx: CheckContext) {
    const { fire } = await armWithPendingFire(ctx, 'to be aborted');
    ctx.probe.autoAckFireReports = false;
    try {
      ctx.step('ABORT, the FIRE_REPORT left unanswered');
      const abort = await ctx.expectAck({
        type: 'ABORT',
        commandId: ctx.newCommandId(),
        fireCommandId: fire.commandId,
      });
      const isReport = (m: Message<'FIRE_REPORT'>): boolean => m.fireCommandId === fire.commandId;
      const deadline = ctx.hostBound(FIRE_REPORT_DEADLINE_US);
      const first = await ctx.nextOf('FIRE_REPORT', ctx.scaled(1_000_000), {
        from: abort.sent.cursor,
        where: isReport,
      });
      if (first === undefined)
        ctx.fail(`no FIRE_REPORT for the aborted FIRE ${fire.commandId} within ${formatMs(ctx.scaled(1_000_000))}`);
      const delayUs = first.atUs - abort.answerAtUs!;
      if (delayUs > deadline) {
        ctx.fail(
          `FIRE_REPORT ${formatMs(delayUs)} after the ACK of ABORT, ${ctx.boundText(FIRE_REPORT_DEADLINE_US, deadline)}`,
        );
      }
      const gapLimit = ctx.hostBound(FIRE_REPORT_REPEAT_MAX_US);
      let previous = first;
      for (let i = 1; i <= 3; i++) {
        ctx.step(`waiting for repeat ${i} of the FIRE_REPORT`);
        const again = await ctx.nextOf('FIRE_REPORT', ctx.scaled(3_000_000), {
          from: ctx.probe.cursor(),
          where: (m) => isReport(m) && (m.flags & FLAG_RETRANSMISSION) !== 0,
        });
        if (again === undefined)
          ctx.fail(
            `the unanswered FIRE_REPORT was not repeated (repeat ${i}) within ${formatMs(ctx.scaled(3_000_000))}`,
          );
        const gapUs = again.atUs - previous.atUs;
        if (gapUs > gapLimit)
          ctx.fail(
            `repeat ${i} of the FIRE_REPORT came ${formatMs(gapUs)} after the previous, ${ctx.boundText(FIRE_REPORT_REPEAT_MAX_US, gapLimit)}`,
          );
        previous = again;
      }
      ctx.step('answering the FIRE_REPORT with NAK');
      await ctx.send({
        type: 'NAK',
        nakedSeq: previous.message.seq,
        nakedType: CATALOGUE.FIRE_REPORT.code,
        commandId: fire.commandId,
        reason: 'unspecified',
      });
      const quietFrom = ctx.probe.cursor();
      await ctx.sleep(ctx.scaled(2 * FIRE_REPORT_REPEAT_MAX_US) + gapLimit);
      const more = ctx.probe.messagesSince(quietFrom, 'FIRE_REPORT').filter((m) => isReport(m.message));
      // One repeat may already have been on the line when the NAK arrived.
      if (more.length > 1)
        ctx.fail(`the FIRE_REPORT was repeated ${more.length} times after the host answered it with NAK`);
    } finally {
      ctx.probe.autoAckFireReports = true;
    }
    await commandSafe(ctx);
  },
};
