import t from 'tap';
import { digestRun } from '../../src/report/digest-run.js';
import { deviceIntervals } from '../../src/report/device-intervals.js';
import { buildEngagementTimeline } from '../../src/report/engagement-timeline.js';
import { interceptorPaths } from '../../src/report/interceptor-paths.js';
import { matchLaunchErrors } from '../../src/report/launch-errors.js';
import { reactionTimes } from '../../src/report/reaction-times.js';
import { judgeRun } from '../../src/report/run-verdict.js';
import { safetyCounters } from '../../src/report/safety-counters.js';
import { siteLayoutFrom } from '../../src/report/site-layout.js';
import { targetTracksFrom } from '../../src/report/target-tracks.js';
import { trackPositionAt } from '../../src/report/track-position-at.js';
import { fixtureRun, fixtureTruth } from './report-fixture.js';

t.test('digest: fires, tracks, engagements, audit and time span from one pass', async (t) => {
  const d = digestRun(fixtureRun());
  t.strictSame([...d.fires.keys()], [10, 11]);
  t.equal(d.fires.get(10)!.issuedAtUs, 3_000_000);
  t.equal(d.tracks.get(1)!.createdUs, 1_000_000);
  t.equal(d.tracks.get(1)!.endTransition, 'destroyed');
  t.strictSame([...d.engagements.keys()].sort(), [1, 2, 3, 4]);
  t.equal(d.audit.length, 2);
  t.equal(d.weaponsControl.length, 1);
  t.equal(d.radarPlots.length, 1);
  t.equal(d.firstUs, 0);
  t.equal(d.lastUs, 20_000_000);
  t.equal(d.idleTicks, 3);
});

t.test('launch error: truth executedUs minus the matching FIRE launchAtHostUs, by command id', async (t) => {
  const digest = digestRun(fixtureRun());
  const match = matchLaunchErrors(digest, fixtureTruth());
  t.equal(match.source, 'truth');
  t.strictSame(
    match.errors.map((e) => [e.commandId, e.launcherId, e.errorUs]),
    [
      [10, 'launcher-1', 1.5],
      [11, 'launcher-2', -3],
    ],
  );
  t.equal(match.unmatchedLaunches, 0);
  t.equal(match.firesWithoutLaunch, 0);
});

t.test('launch error: truth epoch shifts truth time into host time', async (t) => {
  const digest = digestRun(fixtureRun());
  const shifted = fixtureTruth().map((r) =>
    r.kind === 'launch' ? { ...r, executedUs: r.executedUs - 1_000_000, tUs: r.tUs - 1_000_000 } : r,
  );
  const match = matchLaunchErrors(digest, shifted, 1_000_000);
  t.strictSame(
    match.errors.map((e) => e.errorUs),
    [1.5, -3],
  );
});

t.test('launch error: unmatched launches, FIREs without launch, duplicates counted once', async (t) => {
  const digest = digestRun(fixtureRun());
  const truth = fixtureTruth();
  const launch10 = truth.find((r) => r.kind === 'launch' && r.commandId === 10)!;
  const odd = [
    launch10,
    { ...launch10, executedUs: launch10.tUs + 99 }, // duplicate execution of the same id: first wins
    { ...launch10, commandId: 999 }, // a launch no FIRE planned
  ];
  const match = matchLaunchErrors(digest, odd);
  t.equal(match.errors.length, 1);
  t.equal(match.errors[0]!.errorUs, 1.5);
  t.equal(match.unmatchedLaunches, 1);
  t.equal(match.firesWithoutLaunch, 1, 'cmd 11 never launched in this truth');
});

t.test('launch error without truth: the launcher-reported launch instant (host view)', async (t) => {
  const match = matchLaunchErrors(digestRun(fixtureRun()), undefined);
  t.equal(match.source, 'host-report');
  t.strictSame(
    match.errors.map((e) => [e.commandId, e.errorUs]),
    [
      [10, 2],
      [11, -4],
    ],
  );
});

t.test('reaction time: FIRE tick minus the track created event', async (t) => {
  t.strictSame(
    reactionTimes(digestRun(fixtureRun())).map((r) => [r.commandId, r.reactionUs]),
    [
      [10, 2_000_000],
      [11, 4_000_000],
    ],
  );
});

t.test('timeline: milestones, results and lanes per launcher', async (t) => {
  const digest = digestRun(fixtureRun());
  const timeline = buildEngagementTimeline(digest, fixtureTruth(), ['launcher-1', 'launcher-2']);
  const byId = new Map(timeline.engagements.map((e) => [e.engagementId, e]));
  const e1 = byId.get(1)!;
  t.strictSame(
    [e1.detectUs, e1.plannedUs, e1.fireSentUs, e1.launchUs, e1.interceptUs, e1.endUs, e1.result],
    [1_000_000, 2_000_000, 3_000_000, 3_050_001.5, 10_000_000, 11_000_000, 'kill'],
    'launch and intercept from truth',
  );
  const e2 = byId.get(2)!;
  t.equal(e2.result, 'miss');
  t.equal(e2.interceptUs, 12_000_000, 'closest approach time from truth');
  const e3 = byId.get(3)!;
  t.equal(e3.result, 'aborted');
  t.equal(e3.reason, 'hold-fire');
  t.equal(e3.fireSentUs, null);
  t.equal(e3.launchUs, null);
  const e4 = byId.get(4)!;
  t.equal(e4.result, 'open');
  // E1 and E3 both start at their tracks' detection (1 s), E4 at 1.5 s: three lanes on launcher-1.
  t.strictSame(
    timeline.rows.map((r) => r.label),
    ['launcher-1 · 1', 'launcher-1 · 2', 'launcher-1 · 3', 'launcher-2'],
  );
  t.strictSame([e1.row, e3.row, e4.row, e2.row], [0, 1, 2, 3]);
  for (const a of timeline.engagements)
    for (const b of timeline.engagements) {
      if (a === b || a.row !== b.row) continue;
      const [first, second] = a.plannedUs < b.plannedUs ? [a, b] : [b, a];
      t.ok((first.endUs ?? Infinity) < (second.detectUs ?? second.plannedUs), 'bars on one row never overlap');
    }
});

t.test('timeline: a lane is reused once its engagement has ended', async (t) => {
  const run = fixtureRun();
  // Put E3 (launcher-1, planned 6 s, aborted 7 s) on a track first seen at 12 s, after E1 ended (11 s).
  const records = run.records.map((r) => {
    if (r.kind !== 'tick') return r;
    const events = (r.events as { kind: string; engagementId?: number; atUs: number }[]).map((e) =>
      e.kind === 'engagement' && e.engagementId === 3 ? { ...e, atUs: e.atUs + 6_000_000 } : e,
    );
    return { ...r, events };
  });
  const digest = digestRun({ ...run, records });
  const timeline = buildEngagementTimeline(
    { ...digest, tracks: new Map([...digest.tracks].filter(([id]) => id !== 2)) },
    undefined,
    ['launcher-1', 'launcher-2'],
  );
  const rowOf = (id: number): number => timeline.engagements.find((e) => e.engagementId === id)!.row;
  t.equal(rowOf(3), rowOf(1), "E3 (12–13 s, no detection known) reuses E1's lane");
  t.not(rowOf(4), rowOf(1));
});

t.test('timeline without truth: host-reported launch and planned intercept', async (t) => {
  const timeline = buildEngagementTimeline(digestRun(fixtureRun()), undefined, ['launcher-1', 'launcher-2']);
  const e1 = timeline.engagements.find((e) => e.engagementId === 1)!;
  t.equal(e1.launchUs, 3_050_002);
  t.equal(e1.interceptUs, 10_050_000);
});

t.test('timeline: launchers with no engagement still get a row; unknown launchers are appended', async (t) => {
  const timeline = buildEngagementTimeline(digestRun(fixtureRun()), undefined, ['launcher-0', 'launcher-2']);
  t.strictSame(
    timeline.rows.map((r) => r.label),
    ['launcher-0', 'launcher-2', 'launcher-1 · 1', 'launcher-1 · 2', 'launcher-1 · 3'],
  );
});

t.test('interceptor paths: to the kill, to the target at closest approach, else the aim point', async (t) => {
  const run = fixtureRun();
  const truth = fixtureTruth();
  const digest = digestRun(run);
  const layout = siteLayoutFrom(run.manifest.coreConfig);
  const tracks = targetTracksFrom(truth);
  const paths = interceptorPaths(digest, layout.launchers, truth, tracks);
  const p10 = paths.find((p) => p.commandId === 10)!;
  t.strictSame([p10.end, p10.fromEastM, p10.toEastM, p10.toNorthM], ['kill', 1000, 10000, 7000]);
  const p11 = paths.find((p) => p.commandId === 11)!;
  t.equal(p11.end, 'miss');
  // tgt-b at 12 s: start + velocity × 12 s.
  t.strictSame([p11.toEastM, p11.toNorthM, p11.toUpM], [-20000 + 900 * 12, 25000 - 1200 * 12, 12000 - 600 * 12]);
  t.equal(p11.missM, 120);
  const noApproach = truth.filter((r) => r.kind !== 'closest-approach' && r.kind !== 'kill');
  const aimed = interceptorPaths(digest, layout.launchers, noApproach, tracks);
  t.strictSame(
    aimed.map((p) => [p.end, p.toEastM]),
    [
      ['aim', 8000],
      ['aim', -9000],
    ],
  );
  const hostOnly = interceptorPaths(digest, layout.launchers, undefined, []);
  t.strictSame(
    hostOnly.map((p) => [p.commandId, p.end]),
    [
      [10, 'aim'],
      [11, 'aim'],
    ],
  );
});

t.test('track position: linear interpolation between samples, null outside', async (t) => {
  const samples = [
    { tUs: 0, eastM: 0, northM: 0, upM: 0 },
    { tUs: 1000, eastM: 10, northM: -10, upM: 100 },
  ];
  t.strictSame(trackPositionAt(samples, 250), { tUs: 250, eastM: 2.5, northM: -2.5, upM: 25 });
  t.equal(trackPositionAt(samples, 1001), null);
  t.equal(trackPositionAt([], 0), null);
});

t.test('site layout: tolerant of missing fields; scenario radars win', async (t) => {
  const layout = siteLayoutFrom({ launchers: [{ id: 'l' }, { nope: 1 }], radars: [{ id: 'r' }] });
  t.equal(layout.launchers.length, 1);
  t.equal(layout.launchers[0]!.maxRangeM, null);
  t.equal(layout.radars.length, 0, 'radars without positions are not placed');
  const withRadars = siteLayoutFrom(null, [{ id: 'r', eastM: 1, northM: 2, upM: 3 }]);
  t.equal(withRadars.radars[0]!.id, 'r');
  t.equal(siteLayoutFrom(fixtureRun().manifest.coreConfig).defendedPoints[0]!.radiusM, 800);
});

t.test('device intervals: fault windows and launcher not-armed windows', async (t) => {
  const truth = [
    ...fixtureTruth(),
    { kind: 'fault', tUs: 15_000_000, deviceId: 'launcher-1', fault: 'silence', phase: 'start' } as const,
    {
      kind: 'launcher-state',
      tUs: 1_000,
      launcherId: 'launcher-1',
      deviceTimeUs: 0,
      state: 'safe',
      watchdog: 'ok',
      cause: 'boot',
    } as const,
    {
      kind: 'launcher-state',
      tUs: 2_000,
      launcherId: 'launcher-1',
      deviceTimeUs: 0,
      state: 'armed',
      watchdog: 'ok',
      cause: 'armed',
    } as const,
    {
      kind: 'launcher-state',
      tUs: 8_000_000,
      launcherId: 'launcher-1',
      deviceTimeUs: 0,
      state: 'safe',
      watchdog: 'tripped',
      cause: 'watchdog',
    } as const,
    {
      kind: 'launcher-state',
      tUs: 9_000_000,
      launcherId: 'launcher-1',
      deviceTimeUs: 0,
      state: 'armed',
      watchdog: 'ok',
      cause: 'armed',
    } as const,
  ];
  t.strictSame(
    deviceIntervals(truth, 20_000_000).map((d) => [d.row, d.kind, d.fromUs, d.toUs]),
    [
      ['launcher-1 fault: silence', 'fault', 15_000_000, 20_000_000],
      ['launcher-1 not armed', 'not-armed', 8_000_000, 9_000_000],
      ['radar-1 fault: drop', 'fault', 4_000_000, 6_000_000],
    ],
  );
  t.strictSame(deviceIntervals(undefined, 1), []);
});

t.test('safety counters and verdict', async (t) => {
  const fromTruth = safetyCounters(undefined, [
    ...fixtureTruth(),
    { kind: 'duplicate-execution', tUs: 1, launcherId: 'launcher-1', commandId: 10, executions: 2 },
  ]);
  t.strictSame(
    fromTruth.map((c) => [c.key, c.value, c.source]),
    [
      ['firesWhileLinkLost', 0, 'truth'],
      ['duplicateFires', 1, 'truth'],
      ['friendlyEngagements', 0, 'truth'],
      ['firesWithoutAuthorization', null, 'unknown'],
    ],
  );
  const complete = { complete: true, truncatedTail: false };
  const failed = judgeRun(fromTruth, [], complete);
  t.equal(failed.verdict, 'fail');
  t.match(failed.reasons[0], /executed twice: 1/);
  const zero = safetyCounters(
    {
      summary: {
        safety: { firesWhileLinkLost: 0, duplicateFires: 0, friendlyEngagements: 0, firesWithoutAuthorization: 0 },
      } as never,
    },
    undefined,
  );
  t.equal(judgeRun(zero, [], complete).verdict, 'pass');
  t.equal(judgeRun(zero, [{ name: 'x', value: 1, pass: false }], complete).verdict, 'fail');
  const none = judgeRun(safetyCounters(undefined, undefined), [], { complete: false, truncatedTail: true });
  t.equal(none.verdict, 'none');
  t.equal(none.warnings.length, 2, 'incomplete recording and cut tail are warned about');
});

t.test('the truth epoch may come from the summary file (real-time runs)', async (t) => {
  const { buildReportModel } = await import('../../src/report/build-report-model.js');
  const shifted = fixtureTruth().map((r) =>
    r.kind === 'launch' ? { ...r, executedUs: r.executedUs - 1_000_000, tUs: r.tUs - 1_000_000 } : r,
  );
  const model = buildReportModel({
    run: fixtureRun(),
    truth: shifted,
    summary: { truthEpochHostUs: 1_000_000 },
    generatedAt: 'x',
  });
  t.strictSame(
    model.launchErrors.errors.map((e) => e.errorUs),
    [1.5, -3],
  );
});
