import t from 'tap';
import type { EngagementEvent, LauncherReadinessEvent } from '../../src/control/index.js';
import { describeReadiness, LauncherReadinessLog } from '../../src/session/launcher-readiness-log.js';

let seq = 0;
const ready = (
  launcherId: string,
  atUs: number,
  reasons: LauncherReadinessEvent['reasons'],
  syncUncertaintyUs: number | null = 100,
): LauncherReadinessEvent => ({
  kind: 'launcher-readiness',
  seq: ++seq,
  atUs,
  launcherId,
  ready: reasons.length === 0,
  reasons,
  syncUncertaintyUs,
  syncBudgetUs: 3333,
});

const failed = (launcherId: string, reason: 'refused' | 'refusal-limit', nak: 'busy' | 'out-of-envelope') =>
  ({
    kind: 'engagement',
    seq: ++seq,
    atUs: 0,
    transition: 'failed',
    engagementId: 1,
    trackId: 1,
    launcherId,
    state: 'failed',
    fireCommandId: 9,
    launchAtHostUs: 0,
    interceptAtHostUs: 0,
    aimEastM: 0,
    aimNorthM: 0,
    aimUpM: 0,
    actualLaunchHostUs: null,
    result: null,
    reason,
    nakReason: nak,
    commandId: null,
  }) satisfies EngagementEvent;

t.test('time ready and not ready by first failing condition; a launcher never ready is reported', (t) => {
  const log = new LauncherReadinessLog();
  log.addReadiness(ready('L1', 0, ['launcher-no-status']));
  log.addReadiness(ready('L2', 0, ['launcher-no-status']));
  log.addReadiness(ready('L1', 1_000_000, ['launcher-not-armed']));
  log.addReadiness(ready('L2', 1_000_000, ['time-sync-out-of-bound', 'launcher-not-armed'], 5_000));
  log.addReadiness(ready('L1', 2_000_000, []));
  log.addEngagement(failed('L1', 'refused', 'busy'));
  log.addEngagement(failed('L1', 'refusal-limit', 'busy'));
  log.freeze(10_000_000);
  log.addReadiness(ready('L1', 10_500_000, ['link-not-fresh'])); // the stop itself: ignored
  const [l1, l2] = log.readiness(11_000_000);
  t.match(l1, {
    launcherId: 'L1',
    everReady: true,
    readyS: 8,
    notReadyS: 2,
    notReadyByReasonS: { 'launcher-no-status': 1, 'launcher-not-armed': 1 },
    reasonsAtEnd: [],
    fireRefusals: 2,
  });
  t.match(l2, {
    launcherId: 'L2',
    everReady: false,
    readyS: 0,
    notReadyS: 10,
    notReadyByReasonS: { 'launcher-no-status': 1, 'time-sync-out-of-bound': 9 },
    reasonsAtEnd: ['time-sync-out-of-bound', 'launcher-not-armed'],
    syncUncertaintyUs: 5_000,
  });
  t.same(log.refusals(), { total: 2, byReason: { busy: 2 }, byLauncher: { L1: 2 }, targetsGivenUp: 1 });
  t.match(describeReadiness(l2!), /^NEVER READY, not ready 10\.0 s of 10\.0 s \(time-sync-out-of-bound 9\.0 s/);
  t.match(describeReadiness(l2!), /time sync ±5000 us > budget 3333 us/);
  t.match(describeReadiness(l1!), /2 FIREs refused/);
  t.end();
});
