import {
  ACK_DEADLINE_US,
  STATUS_ON_CHANGE_US,
  ARM_HEARTBEAT_FRESH_US,
  HEARTBEAT_PERIOD_US,
  LAUNCHER_WATCHDOG_US,
} from '../../protocol/timing-rules.js';
import { type CheckContext, describeAnswer } from '../check-context.js';
import { freshStatus } from '../device-state.js';
import { formatMs } from '../format-ms.js';
import {
  ARMING_WAIT_US,
  NOT_SAFE_WATCH_US,
  armWithPendingFire,
  commandSafe,
  describeLauncherStatus,
  expectArmAck,
  expectLauncherStatus,
} from '../launcher-ops.js';
import type { RuleCheck } from '../rule-check.js';
import { FOREIGN_SCHEMA_HASH } from './command-gate-checks.js';
import { expectPeriodicStatus } from './periodic-status.js';

/** Silence long enough for the launcher's heartbeat window (250 ms) to have closed. */
const HEARTBEAT_SILENCE_US = ARM_HEARTBEAT_FRESH_US + 50_000;

/**
 * ICD-LNCH-001: the first status after the kit connected (before it sent anything) shows SAFE —
 * a launcher either just powered on or, with no host heartbeat, has gone SAFE by its watchdog;
 * LAUNCHER_STATUS at least every 100 ms; and a status at each state change (ARM → ARMING,
 * SAFE → SAFE) within the ACK deadline, not at the next period.
 */
export const lnch001Check: RuleCheck = {
  ruleId: 'ICD-LNCH-001',
  title: 'powers on SAFE; LAUNCHER_STATUS at least every 100 ms and at every state change',
  devices: ['launcher'],
  async run(ctx: CheckContext) {
    ctx.note(judgeInitialState(ctx));
    ctx.note(await expectPeriodicStatus(ctx, 'LAUNCHER_STATUS'));
    const bound = ctx.hostBound(STATUS_ON_CHANGE_US);
    const arm = await expectArmAck(ctx);
    const arming = await ctx.nextOf('LAUNCHER_STATUS', bound, {
      from: arm.sent.cursor,
      where: (s) => s.state === 'arming' || s.state === 'armed',
    });
    if (arming === undefined)
      ctx.fail(`no LAUNCHER_STATUS showing ARMING within ${formatMs(bound)} of an accepted ARM`);
    ctx.step('SAFE');
    const safe = await ctx.expectAck({ type: 'SAFE', commandId: ctx.newCommandId() });
    const safeStatus = await ctx.nextOf('LAUNCHER_STATUS', bound, {
      from: safe.sent.cursor,
      where: (s) => s.state === 'safe',
    });
    if (safeStatus === undefined)
      ctx.fail(`no LAUNCHER_STATUS showing SAFE within ${formatMs(bound)} of an accepted SAFE`);
  },
};

/**
 * The "powers on SAFE" part of ICD-LNCH-001, from what the kit saw before sending anything: SAFE
 * → holds. Not SAFE → a previous host left it armed (or it powered on armed): with the kit
 * silent its watchdog must make it SAFE (else fails, ICD-LNCH-004); the power-on state then
 * cannot be judged, which the note says.
 */
function judgeInitialState(ctx: CheckContext): string {
  const initial = ctx.session.initialStatus;
  if (initial?.type !== 'LAUNCHER_STATUS') return 'no status before the first command: power-on state not observed';
  if (initial.state === 'safe') return 'first status seen: safe';
  const count = ctx.session.initialHeartbeatCount;
  const on = count === undefined ? '' : `, on for ~${((count * HEARTBEAT_PERIOD_US) / 1e6).toFixed(1)} s`;
  const safeAfterUs = ctx.session.wentSafeAfterUs;
  if (safeAfterUs === undefined) {
    ctx.fail(
      `the launcher was ${initial.state} when the kit connected${on}, and did not go SAFE within ${formatMs(ctx.hostBound(NOT_SAFE_WATCH_US))} with no host heartbeat`,
    );
  }
  return `not fresh: ${initial.state} when the kit connected${on}, SAFE by its watchdog ${formatMs(safeAfterUs)} later; power-on state not judged`;
}

/**
 * ICD-LNCH-002: after 300 ms without host heartbeat ARM → NAK no-heartbeat, still SAFE; with the
 * heartbeat ARM → ACK and statuses SAFE → ARMING → ARMED; ARM while ARMING and while ARMED → ACK,
 * with no effect (still ARMING or ARMED, never back to SAFE).
 */
export const lnch002Check: RuleCheck = {
  ruleId: 'ICD-LNCH-002',
  title: 'ARM refused without host heartbeat; with it SAFE → ARMING → ARMED; ARM again has no effect',
  devices: ['launcher'],
  async run(ctx: CheckContext) {
    ctx.step('silencing the host heartbeat');
    ctx.probe.stopHeartbeat();
    await ctx.sleep(ctx.hostBound(HEARTBEAT_SILENCE_US));
    ctx.step('ARM without host heartbeat');
    await ctx.expectNak({ type: 'ARM', commandId: ctx.newCommandId() }, 'no-heartbeat');
    const still = await freshStatus(ctx);
    if (still.message.type === 'LAUNCHER_STATUS' && still.message.state !== 'safe') {
      ctx.fail(`ARM refused for lack of heartbeat still changed the state to ${still.message.state}`);
    }
    ctx.probe.startHeartbeat();
    const arm = await expectArmAck(ctx, 'ARM with the host heartbeat');
    const firstAfter = await expectLauncherStatus(ctx, 'after ARM', () => true, { from: arm.sent.cursor });
    if (firstAfter.message.state === 'arming') {
      ctx.step('ARM while ARMING');
      await ctx.expectAck({ type: 'ARM', commandId: ctx.newCommandId() });
    } else {
      ctx.note('ARMED came too fast to send ARM while ARMING');
    }
    const armed = await expectLauncherStatus(ctx, 'showing ARMED', (s) => s.state === 'armed', {
      from: arm.sent.cursor,
      timeoutUs: ctx.scaled(ARMING_WAIT_US),
    });
    const states = ctx.probe
      .messagesSince(arm.sent.cursor, 'LAUNCHER_STATUS')
      .filter((s) => s.atUs <= armed.atUs)
      .map((s) => s.message.state);
    if (!states.includes('arming'))
      ctx.fail(`no status showed ARMING between ARM and ARMED (saw ${states.join(' → ')})`);
    const wrong = states.find((s) => s !== 'arming' && s !== 'armed');
    if (wrong !== undefined) ctx.fail(`a status showed ${wrong} between ARM and ARMED`);
    ctx.step('ARM while ARMED');
    const again = await ctx.expectAck({ type: 'ARM', commandId: ctx.newCommandId() });
    for (let i = 0; i < 2; i++) {
      const status = await expectLauncherStatus(ctx, 'after ARM while ARMED', () => true, { from: again.sent.cursor });
      if (status.message.state !== 'armed') ctx.fail(`ARM while ARMED changed the state to ${status.message.state}`);
    }
    await commandSafe(ctx);
  },
};

/**
 * ICD-LNCH-003: SAFE is ACKed without host heartbeat, while ARMING, while ARMED with a FIRE
 * pending, and when its command id was used before; each time a status shows SAFE within the ACK
 * deadline, and the pending FIRE is reported aborted.
 */
export const lnch003Check: RuleCheck = {
  ruleId: 'ICD-LNCH-003',
  title: 'SAFE is accepted in any state, with any id, before HELLO and after a foreign HELLO; cancels a pending FIRE',
  devices: ['launcher'],
  dependsOn: ['ICD-LNCH-002', 'ICD-CMN-007'],
  async run(ctx: CheckContext) {
    // From another state a status showing SAFE is due at once; from SAFE the next one still shows it.
    const safeAtOnce = async (what: string, from: 'safe' | 'other', commandId = ctx.newCommandId()): Promise<void> => {
      ctx.step(`SAFE ${what}`);
      const outcome = await ctx.command({ type: 'SAFE', commandId });
      if (outcome.answer?.type !== 'ACK') ctx.fail(`SAFE ${what} got ${describeAnswer(outcome)}, expected ACK`);
      // How soon the status comes is ICD-LNCH-001's; here only that SAFE takes effect.
      const waitUs = ctx.statusWaitUs();
      const status = await ctx.nextOf('LAUNCHER_STATUS', waitUs, {
        from: outcome.sent.cursor,
        where: (s) => s.state === 'safe',
      });
      if (status === undefined) {
        const last = ctx.probe.last('LAUNCHER_STATUS')?.message;
        const seen = last === undefined ? 'none' : describeLauncherStatus(last);
        ctx.fail(`no LAUNCHER_STATUS showing SAFE within ${formatMs(waitUs)} of SAFE ${what} (last status: ${seen})`);
      }
    };
    ctx.probe.stopHeartbeat();
    await ctx.sleep(ctx.hostBound(HEARTBEAT_SILENCE_US));
    await safeAtOnce('without host heartbeat', 'safe');
    ctx.probe.startHeartbeat();
    const arm = await expectArmAck(ctx);
    await expectLauncherStatus(ctx, 'showing ARMING after ARM', (s) => s.state === 'arming' || s.state === 'armed', {
      from: arm.sent.cursor,
    });
    await safeAtOnce('while ARMING', 'other');
    const { fire, accepted } = await armWithPendingFire(ctx, 'to be cancelled by SAFE');
    await safeAtOnce('while ARMED with a FIRE pending', 'other');
    const report = await ctx.nextOf('FIRE_REPORT', ctx.hostBound(100_000), {
      from: accepted.sent.cursor,
      where: (m) => m.fireCommandId === fire.commandId,
    });
    if (report === undefined) ctx.fail(`no FIRE_REPORT for the FIRE pending when SAFE came`);
    if (report.message.result !== 'aborted')
      ctx.fail(`the FIRE pending when SAFE came was reported ${report.message.result}`);
    const status = await freshStatus(ctx);
    if (status.message.type === 'LAUNCHER_STATUS' && status.message.pendingFireCommandId !== 0) {
      ctx.fail(`FIRE ${status.message.pendingFireCommandId} still pending after SAFE`);
    }
    await safeAtOnce(
      'reusing the command id of an executed ARM',
      'safe',
      (arm.sent.message as { commandId: number }).commandId,
    );
    await safeAtOnce(`reusing the id of the executed FIRE ${fire.commandId}`, 'safe', fire.commandId);
    await safeAtOnce('with commandId 0', 'safe', 0);
    ctx.step('HELLO with a foreign schema hash');
    await ctx.send({ type: 'HELLO', schemaHash: FOREIGN_SCHEMA_HASH, hostTimeUs: 0 });
    await ctx.sleep(ctx.scaled(50_000));
    await safeAtOnce('after a HELLO with a foreign schema hash', 'safe');
    await ctx.hello();
    const early = ctx.session.safeBeforeHello;
    if (early === undefined) ctx.note('SAFE before HELLO not observed (no status before the first command)');
    else if (early !== 'ACK') ctx.fail(`SAFE sent before the first HELLO got ${early}, expected ACK`);
  },
};

/**
 * ICD-LNCH-004: ARMED with a FIRE pending, the host heartbeat replaced by heartbeats with a bad
 * CRC (not valid): SAFE with watchdog tripped 250 ms after the last valid one, the FIRE reported
 * aborted; the valid heartbeat back, it stays SAFE and tripped (latched); ARM clears it.
 */
export const lnch004Check: RuleCheck = {
  ruleId: 'ICD-LNCH-004',
  title: '250 ms without valid host heartbeat: SAFE, watchdog tripped and latched until ARM; pending FIRE cancelled',
  devices: ['launcher'],
  // The trip time is read from the status due within 20 ms of the change (ICD-LNCH-001).
  dependsOn: ['ICD-LNCH-001', 'ICD-LNCH-002', 'ICD-CMN-007'],
  async run(ctx: CheckContext) {
    const { fire } = await armWithPendingFire(ctx, 'to be cancelled by the watchdog');
    ctx.step('replacing the host heartbeat with invalid ones');
    const from = ctx.probe.cursor();
    const lastValidUs = ctx.probe.stopHeartbeat() ?? ctx.clock.nowUs();
    ctx.probe.startHeartbeat({ corrupt: true });
    const limitUs = ctx.hostBound(LAUNCHER_WATCHDOG_US + ACK_DEADLINE_US);
    const tripped = await ctx.nextOf('LAUNCHER_STATUS', limitUs, {
      from,
      where: (s) => s.state === 'safe' && s.watchdog === 'tripped',
    });
    if (tripped === undefined) {
      const last = ctx.probe.last('LAUNCHER_STATUS')?.message;
      ctx.fail(
        `no status showing SAFE with watchdog tripped within ${formatMs(limitUs)} of the last valid heartbeat (last status: ${last === undefined ? 'none' : describeLauncherStatus(last)})`,
      );
    }
    const tripUs = tripped.atUs - lastValidUs;
    if (tripUs < LAUNCHER_WATCHDOG_US * 0.99)
      ctx.fail(`the watchdog tripped ${formatMs(tripUs)} after the last valid heartbeat, before 250 ms`);
    ctx.note(`tripped ${formatMs(tripUs)} after the last valid heartbeat`);
    const report = await ctx.nextOf('FIRE_REPORT', ctx.hostBound(100_000), {
      from,
      where: (m) => m.fireCommandId === fire.commandId,
    });
    if (report === undefined || report.message.result !== 'aborted') {
      ctx.fail(
        `the FIRE pending when the watchdog tripped was ${report === undefined ? 'not reported' : `reported ${report.message.result}`}, expected aborted`,
      );
    }
    ctx.step('valid heartbeat back: the trip must stay latched');
    ctx.probe.stopHeartbeat();
    ctx.probe.startHeartbeat();
    const latchedFrom = ctx.probe.cursor();
    await ctx.sleep(ctx.hostBound(HEARTBEAT_SILENCE_US));
    const statuses = ctx.probe.messagesSince(latchedFrom, 'LAUNCHER_STATUS');
    if (statuses.length === 0) ctx.fail(`no LAUNCHER_STATUS in ${formatMs(ctx.hostBound(HEARTBEAT_SILENCE_US))}`);
    const unlatched = statuses.find((s) => s.message.state !== 'safe' || s.message.watchdog !== 'tripped');
    if (unlatched !== undefined) {
      ctx.fail(
        `with the heartbeat back and no ARM the launcher went ${describeLauncherStatus(unlatched.message)}: the trip must latch`,
      );
    }
    ctx.step('ARM to clear the latch');
    const arm = await ctx.expectAck({ type: 'ARM', commandId: ctx.newCommandId() });
    await expectLauncherStatus(
      ctx,
      'showing ARMED with watchdog ok after ARM',
      (s) => s.state === 'armed' && s.watchdog === 'ok',
      {
        from: arm.sent.cursor,
        timeoutUs: ctx.scaled(ARMING_WAIT_US),
      },
    );
    await commandSafe(ctx);
  },
};
