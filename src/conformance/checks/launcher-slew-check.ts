import type { CheckContext } from '../check-context.js';
import { freshStatus, statusChanges } from '../device-state.js';
import type { RuleCheck } from '../rule-check.js';

/** SLEW targets outside azimuth [0, 360) or elevation [0, 90]. */
export const OUT_OF_RANGE_SLEWS: readonly (readonly [number, number])[] = [
  [360, 45],
  [-1, 45],
  [1000, 45],
  [45, -0.5],
  [45, 90.5],
];

/**
 * ICD-LNCH-011: SLEW out of range → NAK bad-field and no effect (last command id unchanged); a
 * SLEW to where the launcher points → ACK (so a launcher refusing every SLEW does not pass).
 */
export const lnch011Check: RuleCheck = {
  ruleId: 'ICD-LNCH-011',
  title: 'SLEW outside azimuth [0, 360) or elevation [0, 90] is refused with NAK bad-field',
  devices: ['launcher'],
  async run(ctx: CheckContext) {
    const before = await freshStatus(ctx);
    for (const [azimuthDeg, elevationDeg] of OUT_OF_RANGE_SLEWS) {
      ctx.step(`SLEW to azimuth ${azimuthDeg}°, elevation ${elevationDeg}°`);
      await ctx.expectNak({ type: 'SLEW', commandId: ctx.newCommandId(), azimuthDeg, elevationDeg }, 'bad-field');
    }
    const after = await freshStatus(ctx);
    const changes = statusChanges(before.message, after.message);
    if (changes.length > 0) ctx.fail(`refused SLEWs had an effect: ${changes.join(', ')}`);
    if (after.message.type === 'LAUNCHER_STATUS') {
      const { azimuthDeg, elevationDeg } = after.message;
      ctx.step('SLEW to the current pointing');
      await ctx.expectAck({
        type: 'SLEW',
        commandId: ctx.newCommandId(),
        azimuthDeg: Math.min(Math.max(0, azimuthDeg), 359.9),
        elevationDeg: Math.min(Math.max(0, elevationDeg), 90),
      });
    }
  },
};
