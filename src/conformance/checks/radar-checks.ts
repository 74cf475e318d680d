import { type Message, RADAR_MODES } from '../../protocol/index.js';
import { ACK_DEADLINE_US, STATUS_ON_CHANGE_US } from '../../protocol/timing-rules.js';
import { expectPeriodicStatus } from './periodic-status.js';
import type { CheckContext } from '../check-context.js';
import { otherRadarMode } from '../device-state.js';
import { formatMs } from '../format-ms.js';
import { expectRadarStatus, setRadarMode } from '../radar-ops.js';
import type { RuleCheck } from '../rule-check.js';

/**
 * ICD-RDR-001: RADAR_STATUS at least every 100 ms, and at every mode change — a status showing
 * the new mode within the ACK deadline of RADAR_SET_MODE, not at the next period (three times).
 */
export const rdr001Check: RuleCheck = {
  ruleId: 'ICD-RDR-001',
  title: 'RADAR_STATUS at least every 100 ms and at every mode change',
  devices: ['radar'],
  dependsOn: ['ICD-RDR-002'],
  async run(ctx: CheckContext) {
    ctx.note(await expectPeriodicStatus(ctx, 'RADAR_STATUS'));
    const bound = ctx.hostBound(STATUS_ON_CHANGE_US);
    const start = await expectRadarStatus(ctx, '', () => true);
    let mode = start.message.mode;
    for (let i = 0; i < 3; i++) {
      const next = otherRadarMode(mode);
      ctx.step(`RADAR_SET_MODE ${next}`);
      const outcome = await ctx.expectAck({ type: 'RADAR_SET_MODE', commandId: ctx.newCommandId(), mode: next });
      const status = await ctx.nextOf('RADAR_STATUS', bound, {
        from: outcome.sent.cursor,
        where: (s) => s.mode === next,
      });
      if (status === undefined) {
        ctx.fail(
          `no RADAR_STATUS showing ${next} within ${formatMs(bound)} of RADAR_SET_MODE (a status is due at every mode change)`,
        );
      }
      mode = next;
    }
    if (mode !== start.message.mode) await setRadarMode(ctx, start.message.mode);
  },
};

/** ICD-RDR-002: each mode in turn; ACK, and the first RADAR_STATUS after the ACK shows it. */
export const rdr002Check: RuleCheck = {
  ruleId: 'ICD-RDR-002',
  title: 'RADAR_SET_MODE is acknowledged and the next RADAR_STATUS shows the new mode',
  devices: ['radar'],
  async run(ctx: CheckContext) {
    const start = await expectRadarStatus(ctx, '', () => true);
    const home = start.message.mode;
    const order = [...RADAR_MODES.filter((m) => m !== home), home];
    for (const mode of order) {
      ctx.step(`RADAR_SET_MODE ${mode}`);
      const outcome = await ctx.expectAck({ type: 'RADAR_SET_MODE', commandId: ctx.newCommandId(), mode });
      const ackIndex = ctx.probe.since(outcome.sent.cursor).find((f) => f.message === outcome.answer)?.index;
      const next = await ctx.nextOf('RADAR_STATUS', ctx.statusWaitUs(), {
        from: (ackIndex ?? outcome.sent.cursor) + 1,
      });
      if (next === undefined)
        ctx.fail(`no RADAR_STATUS within ${formatMs(ctx.statusWaitUs())} of RADAR_SET_MODE ${mode}`);
      if (next.message.mode !== mode)
        ctx.fail(`the RADAR_STATUS after RADAR_SET_MODE ${mode} was acknowledged shows ${next.message.mode}`);
    }
  },
};

/** How long ICD-RDR-005 waits in search mode for the radar to hold a track (at least). */
export const TRACK_WAIT_US = 3_000_000;

/**
 * ICD-RDR-005: in search mode with tracks held, RADAR_SET_MODE standby → every track the kit saw
 * reported gets exactly one TRACK_DROP mode-change, the next status shows no active track, and
 * no dropped track is reported again. Skipped when the radar holds no track (nothing to drop).
 */
export const rdr005Check: RuleCheck = {
  ruleId: 'ICD-RDR-005',
  title: 'leaving search mode drops every track with TRACK_DROP mode-change',
  devices: ['radar'],
  dependsOn: ['ICD-RDR-002'],
  budgetUs: 30_000_000,
  async run(ctx: CheckContext) {
    const start = await expectRadarStatus(ctx, '', () => true);
    const home = start.message.mode;
    const from = ctx.probe.cursor();
    if (home !== 'search') await setRadarMode(ctx, 'search');
    const scanUs = start.message.scanPeriodUs;
    const waitUs = ctx.scaled(Math.max(TRACK_WAIT_US, 4 * scanUs));
    ctx.step('waiting for tracks in search mode');
    const held = await ctx.nextOf('RADAR_STATUS', waitUs, {
      from,
      where: (s) => s.mode === 'search' && s.activeTracks > 0 && liveTracks(ctx, from).size > 0,
    });
    if (held === undefined) {
      if (home !== 'search') await setRadarMode(ctx, home);
      ctx.skip(
        `the radar held no track within ${formatMs(waitUs)} in search mode: put a target in its coverage to judge`,
      );
    }
    const tracks = liveTracks(ctx, from);
    ctx.step('RADAR_SET_MODE standby');
    const leave = await ctx.expectAck({ type: 'RADAR_SET_MODE', commandId: ctx.newCommandId(), mode: 'standby' });
    const after = await expectRadarStatus(ctx, 'showing standby', (s) => s.mode === 'standby', {
      from: leave.sent.cursor,
    });
    await ctx.sleep(ctx.hostBound(ACK_DEADLINE_US));
    if (after.message.activeTracks !== 0)
      ctx.fail(`the first status in standby shows ${after.message.activeTracks} active tracks`);
    const drops = ctx.probe.messagesSince(leave.sent.cursor, 'TRACK_DROP');
    for (const id of tracks) {
      const mine = drops.filter((d) => d.message.trackId === id);
      if (mine.length === 0) ctx.fail(`track ${id} was not dropped on leaving search mode`);
      if (mine.length > 1) ctx.fail(`track ${id} was dropped ${mine.length} times`);
      if (mine[0]!.message.reason !== 'mode-change')
        ctx.fail(`track ${id} was dropped with reason ${mine[0]!.message.reason}, expected mode-change`);
    }
    const lateReport = ctx.probe
      .messagesSince(leave.sent.cursor, 'TRACK_REPORT')
      .find((r) => drops.some((d) => d.message.trackId === r.message.trackId && d.atUs <= r.atUs));
    if (lateReport !== undefined) ctx.fail(`track ${lateReport.message.trackId} was reported after its drop`);
    ctx.note(`${tracks.size} track(s) dropped mode-change`);
    await setRadarMode(ctx, home);
  },
};

/** Track ids reported since `from` and not dropped since. */
function liveTracks(ctx: CheckContext, from: number): Set<number> {
  const live = new Set<number>();
  for (const frame of ctx.probe.since(from)) {
    const m: Message | undefined = frame.message;
    if (m?.type === 'TRACK_REPORT') live.add(m.trackId);
    else if (m?.type === 'TRACK_DROP') live.delete(m.trackId);
  }
  return live;
}

/**
 * ICD-RDR-003: in standby and silent no TRACK_REPORT (a full scan period and more); in search,
 * every TRACK_REPORT's measurementTimeUs is no later than the device time of the next status.
 * Skipped when the radar reports no track in search (nothing to judge the second part on).
 */
export const rdr003Check: RuleCheck = {
  ruleId: 'ICD-RDR-003',
  title: 'TRACK_REPORT only in search mode, measurementTimeUs the time of the measurement',
  devices: ['radar'],
  dependsOn: ['ICD-RDR-002'],
  budgetUs: 30_000_000,
  async run(ctx: CheckContext) {
    const start = await expectRadarStatus(ctx, '', () => true);
    const home = start.message.mode;
    const quietUs = Math.max(1_000_000, 2 * start.message.scanPeriodUs);
    for (const mode of ['standby', 'silent'] as const) {
      await setRadarMode(ctx, mode);
      await ctx.sleep(ctx.hostBound(20_000));
      const from = ctx.probe.cursor();
      ctx.step(`watching for TRACK_REPORT in ${mode}`);
      await ctx.sleep(quietUs);
      const reports = ctx.probe.messagesSince(from, 'TRACK_REPORT');
      if (reports.length > 0)
        ctx.fail(`${reports.length} TRACK_REPORT in ${mode} mode (first: track ${reports[0]!.message.trackId})`);
    }
    await setRadarMode(ctx, 'search');
    const from = ctx.probe.cursor();
    ctx.step('watching TRACK_REPORT in search mode');
    await ctx.sleep(ctx.scaled(Math.max(TRACK_WAIT_US, 4 * start.message.scanPeriodUs)));
    const frames = ctx.probe.since(from);
    let reports = 0;
    for (let i = 0; i < frames.length; i++) {
      const m = frames[i]!.message;
      if (m?.type !== 'TRACK_REPORT') continue;
      const next = frames.slice(i + 1).find((f) => f.message?.type === 'RADAR_STATUS')?.message;
      if (next?.type !== 'RADAR_STATUS') continue;
      reports++;
      if (m.measurementTimeUs > next.deviceTimeUs) {
        ctx.fail(
          `TRACK_REPORT of track ${m.trackId} has measurementTimeUs ${m.measurementTimeUs}, after the next status's device time ${next.deviceTimeUs}`,
        );
      }
    }
    if (home !== 'search') await setRadarMode(ctx, home);
    if (reports === 0)
      ctx.skip('no TRACK_REPORT in search mode: put a target in its coverage to judge the measurement time');
    ctx.note(`${reports} TRACK_REPORT judged`);
  },
};
