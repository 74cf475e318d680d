import type { Message } from '../../protocol/index.js';
import type { CheckContext } from '../check-context.js';
import { freshStatus } from '../device-state.js';
import type { RuleCheck } from '../rule-check.js';

/** How close a reported pointing must come to the SLEW target, degrees (f32 holds it to ~1e-5). */
const POINTING_MATCH_DEG = 0.01;
/** How long the kit watches the launcher slew to its target (a slow mount gets judged on its progress). */
const SLEW_WATCH_US = 10_000_000;
/** Plausible ranges of fields whose value the kit cannot command, in their SI units. */
const SCAN_PERIOD_RANGE_US: readonly [number, number] = [1_000, 60_000_000];
const MAX_RANGE_RANGE_M: readonly [number, number] = [1, 10_000_000];

/** The value of a little-endian f32 as it would read had its four bytes been sent the other way round. */
export function swappedF32(value: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value, true);
  return view.getFloat32(0, false);
}

/** The same for a u32. */
export function swappedU32(value: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, value, true);
  return view.getUint32(0, false);
}

function describe(field: string, value: number, swapped: number, expected: string): string {
  return `${field} reads ${short(value)} little-endian, expected ${expected}; read big-endian it would be ${short(swapped)}`;
}

/**
 * ICD-FRM-006 on a radar: the RADAR_STATUS fields the kit cannot command, read little-endian,
 * are in the range of their SI unit (scanPeriodUs 1 ms … 60 s, maxRangeM 1 m … 10,000 km), with
 * the big-endian reading given when it is not. Device times (ICD-CMN-004) and heartbeat counts
 * (ICD-CMN-003) are judged by their own rules.
 */
export const frm006RadarCheck: RuleCheck = {
  ruleId: 'ICD-FRM-006',
  title: 'multi-byte fields little-endian, floats IEEE-754, SI units: values read back as sent',
  devices: ['radar'],
  dependsOn: ['ICD-RDR-001'],
  async run(ctx: CheckContext) {
    ctx.step('reading RADAR_STATUS');
    const { message } = await freshStatus(ctx);
    if (message.type !== 'RADAR_STATUS') return;
    const problems: string[] = [];
    const [minScan, maxScan] = SCAN_PERIOD_RANGE_US;
    if (!(message.scanPeriodUs >= minScan && message.scanPeriodUs <= maxScan)) {
      problems.push(describe('scanPeriodUs', message.scanPeriodUs, swappedU32(message.scanPeriodUs), '1 ms … 60 s'));
    }
    const [minRange, maxRange] = MAX_RANGE_RANGE_M;
    if (!(message.maxRangeM >= minRange && message.maxRangeM <= maxRange)) {
      problems.push(describe('maxRangeM', message.maxRangeM, swappedF32(message.maxRangeM), '1 m … 10,000 km'));
    }
    if (problems.length > 0) ctx.fail(`RADAR_STATUS ${problems.join('; ')}`);
    ctx.note(`scan ${message.scanPeriodUs / 1000} ms, range ${message.maxRangeM} m`);
  },
};

/**
 * ICD-FRM-006 on a launcher: the pointing the launcher reports is a little-endian IEEE-754 f32 in
 * degrees — it reads in range, and after a SLEW to a target chosen by the kit (exact in f32) it
 * reads back as that target; a mount too slow to get there in 10 s must at least be seen moving
 * toward it (1° closer). Gives the big-endian reading when a value does not fit.
 */
export const frm006LauncherCheck: RuleCheck = {
  ruleId: 'ICD-FRM-006',
  title: 'multi-byte fields little-endian, floats IEEE-754, SI units: values read back as sent',
  devices: ['launcher'],
  dependsOn: ['ICD-LNCH-001', 'ICD-LNCH-011'],
  budgetUs: 20_000_000,
  async run(ctx: CheckContext) {
    ctx.step('reading LAUNCHER_STATUS');
    const first = (await freshStatus(ctx)).message;
    if (first.type !== 'LAUNCHER_STATUS') return;
    judgePointingRange(ctx, first);
    // A target 10° of azimuth and 5° of elevation away, on quarter degrees (exact in f32).
    const azimuthDeg = Math.round(((first.azimuthDeg + 10) % 360) * 4) / 4;
    const elevationDeg =
      Math.round((first.elevationDeg > 45 ? first.elevationDeg - 5 : first.elevationDeg + 5) * 4) / 4;
    const from = ctx.probe.cursor();
    ctx.step(`SLEW to azimuth ${azimuthDeg}°, elevation ${elevationDeg}°`);
    await ctx.expectAck({ type: 'SLEW', commandId: ctx.newCommandId(), azimuthDeg, elevationDeg });
    const distance = (s: Message<'LAUNCHER_STATUS'>): number =>
      Math.max(angleBetween(s.azimuthDeg, azimuthDeg), Math.abs(s.elevationDeg - elevationDeg));
    const reached = await ctx.nextOf('LAUNCHER_STATUS', ctx.scaled(SLEW_WATCH_US), {
      from,
      where: (s) => distance(s) <= POINTING_MATCH_DEG,
    });
    const seen = ctx.probe.messagesSince(from, 'LAUNCHER_STATUS').map((f) => f.message);
    for (const status of seen) judgePointingRange(ctx, status);
    if (reached !== undefined) {
      ctx.note(`pointing read back as commanded (${azimuthDeg}°, ${elevationDeg}°)`);
      return;
    }
    const last = seen.at(-1) ?? first;
    if (distance(first) - distance(last) >= 1) {
      ctx.note(`not at the SLEW target within ${SLEW_WATCH_US / 1e6} s, but moving toward it`);
      return;
    }
    ctx.fail(
      `after SLEW to azimuth ${azimuthDeg}°, elevation ${elevationDeg}° the launcher reports ${describe('azimuthDeg', last.azimuthDeg, swappedF32(last.azimuthDeg), `${azimuthDeg}`)}, ${describe('elevationDeg', last.elevationDeg, swappedF32(last.elevationDeg), `${elevationDeg}`)}`,
    );
  },
};

function judgePointingRange(ctx: CheckContext, status: Message<'LAUNCHER_STATUS'>): void {
  if (!(status.azimuthDeg >= 0 && status.azimuthDeg < 360)) {
    ctx.fail(`LAUNCHER_STATUS ${describe('azimuthDeg', status.azimuthDeg, swappedF32(status.azimuthDeg), '[0, 360)')}`);
  }
  if (!(status.elevationDeg >= 0 && status.elevationDeg <= 90)) {
    ctx.fail(
      `LAUNCHER_STATUS ${describe('elevationDeg', status.elevationDeg, swappedF32(status.elevationDeg), '[0, 90]')}`,
    );
  }
}

/** Absolute difference of two azimuths, degrees in [0, 180]. */
function angleBetween(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

/** Six significant digits, no trailing zeros: `50000`, `7.37097e-39`. */
function short(value: number): string {
  return String(Number(value.toPrecision(6)));
}
