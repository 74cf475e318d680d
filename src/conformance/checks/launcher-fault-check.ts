import type { CheckContext } from '../check-context.js';
import { describeLauncherStatus, expectLauncherStatus } from '../launcher-ops.js';
import type { RuleCheck } from '../rule-check.js';

/**
 * ICD-LNCH-012 against a launcher in FAULT: no command of the ICD causes a fault (a failed
 * self-test or a misfire does), so the kit judges the rule only when asked by id (`--rule
 * ICD-LNCH-012`) against a launcher the bench has put in FAULT, and skips it — saying so —
 * when the launcher is not in FAULT. In FAULT: ARM, SLEW (to where it points) and FIRE are
 * refused bad-state, a SLEW out of range bad-field, SAFE is acknowledged and leaves the
 * launcher in FAULT or (the fault having cleared) SAFE — never another state; no state change
 * meanwhile. Whether the fault has cleared is the launcher's to know: the kit accepts either.
 */
export const lnch012Check: RuleCheck = {
  ruleId: 'ICD-LNCH-012',
  title: 'in FAULT every command but SAFE is refused bad-state (SLEW out of range bad-field); SAFE is acknowledged',
  devices: ['launcher'],
  freshDevice: true,
  onRequestOnly: true,
  dependsOn: ['ICD-CMN-001', 'ICD-CMN-005', 'ICD-CMN-007', 'ICD-LNCH-001'],
  async run(ctx: CheckContext) {
    ctx.step('HELLO');
    await ctx.hello();
    ctx.probe.startHeartbeat();
    const status = await expectLauncherStatus(ctx, '', () => true);
    if (status.message.state !== 'fault') {
      ctx.skip(
        `the launcher is ${status.message.state}, not in FAULT, and no command of the ICD causes a fault: put it in FAULT (a failed self-test, a misfire) and run --rule ICD-LNCH-012`,
      );
    }
    const { azimuthDeg, elevationDeg } = status.message;
    const from = ctx.probe.cursor();
    ctx.step('ARM in FAULT');
    await ctx.expectNak({ type: 'ARM', commandId: ctx.newCommandId() }, 'bad-state');
    ctx.step('SLEW to the current pointing in FAULT');
    await ctx.expectNak(
      {
        type: 'SLEW',
        commandId: ctx.newCommandId(),
        azimuthDeg: Math.min(Math.max(0, azimuthDeg), 359.9),
        elevationDeg: Math.min(Math.max(0, elevationDeg), 90),
      },
      'bad-state',
    );
    ctx.step('SLEW out of range in FAULT');
    await ctx.expectNak(
      { type: 'SLEW', commandId: ctx.newCommandId(), azimuthDeg: 360, elevationDeg: 45 },
      'bad-field',
    );
    ctx.step('FIRE in FAULT');
    await ctx.expectNak(
      {
        type: 'FIRE',
        commandId: ctx.newCommandId(),
        trackId: 1,
        executeAtUs: (await ctx.deviceNowUs()) + 10_000_000,
        aimEastM: ctx.aimPoint.eastM,
        aimNorthM: ctx.aimPoint.northM,
        aimUpM: ctx.aimPoint.upM,
      },
      'bad-state',
    );
    const moved = ctx.probe.messagesSince(from, 'LAUNCHER_STATUS').find((s) => s.message.state !== 'fault');
    if (moved !== undefined) ctx.fail(`refused commands changed the state: ${describeLauncherStatus(moved.message)}`);
    ctx.step('SAFE in FAULT');
    const safe = await ctx.expectAck({ type: 'SAFE', commandId: ctx.newCommandId() });
    const after = await expectLauncherStatus(ctx, 'after SAFE', () => true, { from: safe.sent.cursor });
    if (after.message.state !== 'fault' && after.message.state !== 'safe') {
      ctx.fail(`SAFE in FAULT left the launcher ${after.message.state}, expected FAULT (fault persists) or SAFE`);
    }
    ctx.note(`after SAFE: ${after.message.state}`);
  },
};
