import { FIRE_ID_MEMORY, FIRE_MAX_LEAD_US } from '../../protocol/timing-rules.js';
import { type CheckContext, describeAnswer } from '../check-context.js';
import { freshStatus } from '../device-state.js';
import { formatMs } from '../format-ms.js';
import {
  type FireBody,
  abortableFire,
  armLauncher,
  armWithPendingFire,
  cancelUnexpectedFire,
  commandSafe,
  expectLauncherStatus,
  fireCommand,
  sendPendingFire,
} from '../launcher-ops.js';
import type { RuleCheck } from '../rule-check.js';

/** A FIRE the launcher must refuse with `reason`; an accepted one is cancelled before the check fails. */
async function expectFireRefused(ctx: CheckContext, fire: FireBody, reason: string, what: string): Promise<void> {
  ctx.step(`FIRE ${what}`);
  const outcome = await ctx.command(fire);
  if (outcome.answer?.type === 'ACK') await cancelUnexpectedFire(ctx, fire.commandId);
  if (outcome.answer?.type !== 'NAK' || outcome.answer.reason !== reason) {
    ctx.fail(`expected NAK ${reason} to FIRE ${what}, got ${describeAnswer(outcome)}`);
  }
}

/** ABORT → ACK. */
async function abort(ctx: CheckContext, fireCommandId: number): Promise<void> {
  ctx.step(`ABORT FIRE ${fireCommandId}`);
  await ctx.expectAck({ type: 'ABORT', commandId: ctx.newCommandId(), fireCommandId });
}

/**
 * ICD-LNCH-005: FIRE → NAK bad-state while SAFE (watchdog ok) and while ARMING; while ARMED one
 * FIRE is accepted and a second → NAK busy (no-rounds when no round is ready); after a watchdog
 * trip FIRE → NAK watchdog-latched. Every FIRE is abortable (far ahead).
 */
export const lnch005Check: RuleCheck = {
  ruleId: 'ICD-LNCH-005',
  title: 'FIRE refused unless ARMED (bad-state, watchdog-latched), or while one is pending (busy)',
  devices: ['launcher'],
  dependsOn: ['ICD-LNCH-002', 'ICD-CMN-007', 'ICD-LNCH-010', 'ICD-LNCH-004'],
  async run(ctx: CheckContext) {
    // SAFE with the watchdog ok: arm (clears any latch), then SAFE.
    await armLauncher(ctx);
    await commandSafe(ctx);
    await expectFireRefused(ctx, await abortableFire(ctx), 'bad-state', 'while SAFE');
    ctx.step('ARM');
    const arm = await ctx.expectAck({ type: 'ARM', commandId: ctx.newCommandId() });
    const first = await expectLauncherStatus(ctx, 'after ARM', () => true, { from: arm.sent.cursor });
    if (first.message.state === 'arming')
      await expectFireRefused(ctx, await abortableFire(ctx), 'bad-state', 'while ARMING');
    else ctx.note('ARMED came too fast to send FIRE while ARMING');
    const armed = await expectLauncherStatus(ctx, 'showing ARMED', (s) => s.state === 'armed', {
      from: arm.sent.cursor,
      timeoutUs: ctx.scaled(3_000_000),
    });
    if (armed.message.roundsReady === 0) {
      ctx.note('no round ready: busy not checked (a pending FIRE needs a round)');
    } else {
      const pending = await sendPendingFire(ctx);
      await expectFireRefused(ctx, await abortableFire(ctx), 'busy', 'while another is pending');
      await abort(ctx, pending.fire.commandId);
    }
    ctx.step('silencing the host heartbeat until the watchdog trips');
    const from = ctx.probe.cursor();
    ctx.probe.stopHeartbeat();
    await expectLauncherStatus(ctx, 'showing the watchdog tripped', (s) => s.watchdog === 'tripped', {
      from,
      timeoutUs: ctx.hostBound(400_000),
    });
    ctx.probe.startHeartbeat();
    await expectFireRefused(ctx, await abortableFire(ctx), 'watchdog-latched', 'after a watchdog trip');
  },
};

/** How late the late FIRE of ICD-LNCH-006 is (well beyond any time-sync error). */
export const LATE_BY_US = 100_000;

/** ICD-LNCH-006 (a nonconforming launcher would launch at once: runs only with allowFire). */
export const lnch006Check: RuleCheck = {
  ruleId: 'ICD-LNCH-006',
  title: 'FIRE late is refused with NAK late',
  devices: ['launcher'],
  fires: 'if-nonconforming',
  dependsOn: ['ICD-LNCH-002', 'ICD-CMN-007'],
  async run(ctx: CheckContext) {
    await armLauncher(ctx);
    const late = fireCommand(ctx, (await ctx.deviceNowUs()) - LATE_BY_US);
    await expectFireRefused(ctx, late, 'late', `${formatMs(LATE_BY_US)} late`);
    await commandSafe(ctx);
  },
};

/**
 * ICD-LNCH-007: FIRE 31 s ahead → NAK too-far-ahead; 29 s ahead is accepted (then aborted), so a
 * launcher refusing every FIRE does not pass.
 */
export const lnch007Check: RuleCheck = {
  ruleId: 'ICD-LNCH-007',
  title: 'FIRE more than 30 s ahead is refused with NAK too-far-ahead',
  devices: ['launcher'],
  dependsOn: ['ICD-LNCH-002', 'ICD-CMN-007', 'ICD-LNCH-010'],
  async run(ctx: CheckContext) {
    await armLauncher(ctx);
    const now = await ctx.deviceNowUs();
    await expectFireRefused(ctx, fireCommand(ctx, now + FIRE_MAX_LEAD_US + 1_000_000), 'too-far-ahead', '31 s ahead');
    const near = fireCommand(ctx, (await ctx.deviceNowUs()) + FIRE_MAX_LEAD_US - 1_000_000);
    ctx.step('FIRE 29 s ahead');
    const outcome = await ctx.command(near);
    if (outcome.answer?.type !== 'ACK') ctx.fail(`FIRE 29 s ahead got ${describeAnswer(outcome)}, expected ACK`);
    await abort(ctx, near.commandId);
    await commandSafe(ctx);
  },
};

/**
 * ICD-LNCH-008: FIRE F accepted, then aborted; a new FIRE with id F → NAK duplicate-command; then
 * 1023 other FIRE ids accepted and aborted, and F again → still duplicate-command (at least 1024
 * ids remembered). Repeats of a FIRE are ICD-CMN-008's.
 */
export const lnch008Check: RuleCheck = {
  ruleId: 'ICD-LNCH-008',
  title: 'a FIRE id executes at most once, remembered for the last 1024 FIRE ids',
  devices: ['launcher'],
  dependsOn: ['ICD-LNCH-002', 'ICD-CMN-007', 'ICD-LNCH-010'],
  budgetUs: 180_000_000,
  async run(ctx: CheckContext) {
    const { fire } = await armWithPendingFire(ctx);
    await abort(ctx, fire.commandId);
    await expectFireRefused(
      ctx,
      await abortableFire(ctx, fire.commandId),
      'duplicate-command',
      `reusing id ${fire.commandId}`,
    );
    const others = FIRE_ID_MEMORY - 1;
    for (let i = 1; i <= others; i++) {
      const other = await abortableFire(ctx);
      ctx.step(`FIRE ${i} of ${others} other ids`);
      const outcome = await ctx.command(other);
      if (outcome.answer?.type !== 'ACK')
        ctx.fail(`FIRE ${i} of ${others} (id ${other.commandId}) got ${describeAnswer(outcome)}, expected ACK`);
      await abort(ctx, other.commandId);
    }
    await expectFireRefused(
      ctx,
      await abortableFire(ctx, fire.commandId),
      'duplicate-command',
      `reusing id ${fire.commandId} after ${others} other FIRE ids`,
    );
    await commandSafe(ctx);
  },
};

/** How far ahead the executing FIRE of ICD-LNCH-009 is scheduled (time to slew to the aim point). */
export const EXECUTE_LEAD_US = 2_000_000;

/**
 * ICD-LNCH-009 (a real launch: runs only with allowFire): FIRE at the kit's aim point executes
 * at executeAtUs — FIRE_REPORT launched with actualTimeUs within the tolerance (±1 ms) in the
 * launcher clock, never early by more than the tolerance; FIRE_REPORT roundsRemaining one less
 * and the launcher ARMED again with that many rounds.
 */
export const lnch009Check: RuleCheck = {
  ruleId: 'ICD-LNCH-009',
  title: 'FIRE launches at executeAtUs ±1 ms; FIRE_REPORT gives the time; ARMED again with one round less',
  devices: ['launcher'],
  fires: 'executes',
  dependsOn: ['ICD-LNCH-002', 'ICD-CMN-007'],
  budgetUs: 30_000_000,
  async run(ctx: CheckContext) {
    const { armed } = await armLauncher(ctx);
    if (armed.message.roundsReady === 0) ctx.skip('no round ready: nothing to launch');
    const fire = fireCommand(ctx, (await ctx.deviceNowUs()) + ctx.scaled(EXECUTE_LEAD_US));
    try {
      ctx.step('FIRE');
      const accepted = await ctx.expectAck(fire);
      ctx.step('waiting for the launch');
      const waitUs = ctx.scaled(EXECUTE_LEAD_US) + ctx.hostBound(1_000_000);
      const report = await ctx.expectNext('FIRE_REPORT', `for FIRE ${fire.commandId}`, waitUs, {
        from: accepted.sent.cursor,
        where: (m) => m.fireCommandId === fire.commandId,
      });
      const r = report.message;
      if (r.result !== 'launched') ctx.fail(`FIRE_REPORT ${r.result}, expected launched`);
      const errorUs = r.actualTimeUs - fire.executeAtUs;
      // Early is never the machine's scheduling: only the late side may be widened.
      const earlyUs = ctx.fireToleranceUs;
      const lateUs = ctx.deviceBound(ctx.fireToleranceUs);
      if (errorUs < -earlyUs || errorUs > lateUs) {
        ctx.fail(
          `launched at ${r.actualTimeUs}, ${formatMs(errorUs)} from executeAtUs ${fire.executeAtUs} (tolerance −${formatMs(earlyUs)} / +${formatMs(lateUs)})`,
        );
      }
      if (r.roundsRemaining !== armed.message.roundsReady - 1) {
        ctx.fail(`FIRE_REPORT says ${r.roundsRemaining} round(s) remaining, expected ${armed.message.roundsReady - 1}`);
      }
      ctx.note(`launched ${formatMs(errorUs)} from executeAtUs, ${r.roundsRemaining} round(s) left`);
      const back = await expectLauncherStatus(ctx, 'showing ARMED after the launch', (s) => s.state === 'armed', {
        from: ctx.probe.cursor(),
      });
      if (back.message.roundsReady !== r.roundsRemaining) {
        ctx.fail(`after the launch roundsReady is ${back.message.roundsReady}, FIRE_REPORT said ${r.roundsRemaining}`);
      }
    } finally {
      ctx.probe.autoAckFireReports = true;
    }
    await commandSafe(ctx);
  },
};

/**
 * ICD-LNCH-010: ABORT of the pending FIRE → ACK, FIRE_REPORT aborted, launcher still ARMED with
 * nothing pending; ABORT of that FIRE again, and of an id never sent → NAK bad-state.
 */
export const lnch010Check: RuleCheck = {
  ruleId: 'ICD-LNCH-010',
  title: 'ABORT cancels the pending FIRE (FIRE_REPORT aborted), stays ARMED; ABORT of nothing pending → NAK bad-state',
  devices: ['launcher'],
  dependsOn: ['ICD-LNCH-002', 'ICD-CMN-007'],
  async run(ctx: CheckContext) {
    const { fire, accepted } = await armWithPendingFire(ctx);
    await expectLauncherStatus(
      ctx,
      `showing FIRE ${fire.commandId} pending`,
      (s) => s.pendingFireCommandId === fire.commandId,
      {
        from: accepted.sent.cursor,
      },
    );
    ctx.step('ABORT');
    const aborted = await ctx.expectAck({
      type: 'ABORT',
      commandId: ctx.newCommandId(),
      fireCommandId: fire.commandId,
    });
    const report = await ctx.expectNext(
      'FIRE_REPORT',
      `for the aborted FIRE ${fire.commandId}`,
      ctx.hostBound(100_000),
      {
        from: aborted.sent.cursor,
        where: (m) => m.fireCommandId === fire.commandId,
      },
    );
    if (report.message.result !== 'aborted') ctx.fail(`the aborted FIRE was reported ${report.message.result}`);
    const status = await freshStatus(ctx);
    if (status.message.type === 'LAUNCHER_STATUS') {
      if (status.message.state !== 'armed')
        ctx.fail(`after ABORT the launcher is ${status.message.state}, expected ARMED`);
      if (status.message.pendingFireCommandId !== 0)
        ctx.fail(`after ABORT FIRE ${status.message.pendingFireCommandId} is still pending`);
    }
    ctx.step('ABORT of the FIRE already aborted');
    await ctx.expectNak({ type: 'ABORT', commandId: ctx.newCommandId(), fireCommandId: fire.commandId }, 'bad-state');
    ctx.step('ABORT of a FIRE never sent');
    await ctx.expectNak(
      { type: 'ABORT', commandId: ctx.newCommandId(), fireCommandId: ctx.newCommandId() },
      'bad-state',
    );
    await commandSafe(ctx);
  },
};
