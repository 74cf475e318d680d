import type { Message } from '../../protocol/index.js';
import type { CheckContext } from '../check-context.js';
import { formatMs } from '../format-ms.js';
import { expectRadarStatus, setRadarMode } from '../radar-ops.js';
import type { RuleCheck } from '../rule-check.js';

/** Scans watched in each search period (a track must be reported at least once per scan). */
const SCANS_WATCHED = 3;
/** At least this long in each search period, whatever the scan period. */
const MIN_SEARCH_WATCH_US = 2_000_000;

/**
 * ICD-RDR-004 over a link: search, standby (every track dropped), search again — no track id
 * dropped is ever reported again (a track id is never reused while the radar runs), and no track
 * is dropped twice (exactly one TRACK_DROP). The third clause (a target destroyed by an
 * interceptor is dropped with reason `destroyed`) needs an interceptor in flight: the kit cannot
 * cause it, the simulator's own tests judge it.
 */
export const rdr004Check: RuleCheck = {
  ruleId: 'ICD-RDR-004',
  title: 'a track id is never reused; a dropped track gets exactly one TRACK_DROP',
  devices: ['radar'],
  dependsOn: ['ICD-RDR-002', 'ICD-RDR-005'],
  budgetUs: 40_000_000,
  async run(ctx: CheckContext) {
    const start = await expectRadarStatus(ctx, '', () => true);
    const home = start.message.mode;
    const watchUs = ctx.scaled(Math.max(MIN_SEARCH_WATCH_US, SCANS_WATCHED * start.message.scanPeriodUs));
    const from = ctx.probe.cursor();
    if (home !== 'search') await setRadarMode(ctx, 'search');
    ctx.step('first search period');
    await ctx.sleep(watchUs);
    await setRadarMode(ctx, 'standby');
    ctx.step('waiting for the drops');
    await ctx.sleep(ctx.hostBound(100_000));
    const firstIds = reportedIds(ctx, from);
    if (firstIds.size === 0) {
      await setRadarMode(ctx, home);
      ctx.skip(
        `the radar held no track within ${formatMs(watchUs)} in search mode: put a target in its coverage to judge`,
      );
    }
    const second = ctx.probe.cursor();
    await setRadarMode(ctx, 'search');
    ctx.step('second search period');
    await ctx.sleep(watchUs);
    if (home !== 'search') await setRadarMode(ctx, home);
    await ctx.sleep(ctx.hostBound(100_000));

    const dropped = new Map<number, number>();
    let reuse: string | undefined;
    for (const frame of ctx.probe.since(from)) {
      const m: Message | undefined = frame.message;
      if (m?.type === 'TRACK_DROP') dropped.set(m.trackId, (dropped.get(m.trackId) ?? 0) + 1);
      else if (m?.type === 'TRACK_REPORT' && dropped.has(m.trackId) && reuse === undefined) {
        reuse = `track ${m.trackId} reported again after its TRACK_DROP${frame.index >= second ? ' (after search was entered again)' : ''}`;
      }
    }
    if (reuse !== undefined) ctx.fail(`a track id was reused: ${reuse}`);
    const twice = [...dropped].filter(([, n]) => n > 1);
    if (twice.length > 0) {
      ctx.fail(`dropped more than once: ${twice.map(([id, n]) => `track ${id} ${n} times`).join(', ')}`);
    }
    const secondIds = reportedIds(ctx, second);
    ctx.note(
      `track ids ${[...firstIds].join(', ')} then ${[...secondIds].join(', ') || 'none'} after search was entered again; the destroyed reason needs an interceptor: not judged over the link`,
    );
  },
};

function reportedIds(ctx: CheckContext, from: number): Set<number> {
  return new Set(ctx.probe.messagesSince(from, 'TRACK_REPORT').map((f) => f.message.trackId));
}
