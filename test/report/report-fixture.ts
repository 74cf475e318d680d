import type { TruthRecord } from '../../src/truth/truth-record.js';
import type { EngagementEvent, FireCommand, TrackEvent } from '../../src/control/index.js';
import type { TickLoopMetrics } from '../../src/control/realtime/tick-loop.js';
import type { ReportSummaryFile } from '../../src/report/index.js';
import { RUN_FILE_FORMAT, type RunManifest, type RunRecord } from '../../src/record/run-file-format.js';
import type { RunFileContents } from '../../src/record/run-reader.js';

/**
 * A small synthetic run, hand-checkable, that exercises every part of the report:
 * - E1: launcher-1 on track 1 (tgt-a), FIRE cmd 10 → launched 1.5 µs late → kill;
 * - E2: launcher-2 on track 2 (tgt-b), FIRE cmd 11 → launched 3 µs early → miss (120 m);
 * - E3: launcher-1 on track 2, planned then aborted (hold-fire), no FIRE;
 * - E4: launcher-1 on track 3, overlapping E1 (second lane), still open at the end;
 * - tgt-b leaks (impact), f-1 is a friendly that is never engaged; a radar drop fault at 4–6 s.
 */
export const MANIFEST: RunManifest = {
  kind: 'manifest',
  format: RUN_FILE_FORMAT,
  softwareVersion: '9.9.9-test',
  configHash: 'c0ffee'.repeat(10) + 'abcd',
  scenario: { name: 'fixture.yaml', sha256: '00'.repeat(32) },
  seed: 42,
  clockMode: 'virtual',
  tickPeriodUs: 1000,
  coreConfig: {
    tickPeriodUs: 1000,
    radars: [{ id: 'radar-1' }],
    launchers: [
      {
        id: 'launcher-1',
        position: { eastM: 1000, northM: 0, upM: 0 },
        envelope: { minRangeM: 500, maxRangeM: 20000, maxAltitudeM: 15000 },
        rounds: 4,
      },
      {
        id: 'launcher-2',
        position: { eastM: -1000, northM: 0, upM: 0 },
        envelope: { minRangeM: 500, maxRangeM: 20000, maxAltitudeM: 15000 },
        rounds: 4,
      },
    ],
    defendedPoints: [{ id: 'base', position: { eastM: 0, northM: 0, upM: 0 }, radiusM: 800 }],
  },
};

let seq = 0;
function track(atUs: number, trackId: number, transition: TrackEvent['transition'] = 'created'): TrackEvent {
  return {
    kind: 'track',
    seq: ++seq,
    atUs,
    transition,
    trackId,
    radarId: 'radar-1',
    radarTrackId: trackId + 100,
    iff: 'hostile',
    model: 'ballistic',
    reason: null,
  };
}

function engagement(
  atUs: number,
  engagementId: number,
  trackId: number,
  launcherId: string,
  transition: EngagementEvent['transition'],
  extra: Partial<EngagementEvent> = {},
): EngagementEvent {
  return {
    kind: 'engagement',
    seq: ++seq,
    atUs,
    transition,
    engagementId,
    trackId,
    launcherId,
    state: 'planned',
    fireCommandId: null,
    launchAtHostUs: atUs + 1_000_000,
    interceptAtHostUs: atUs + 8_000_000,
    aimEastM: 8000,
    aimNorthM: 6000,
    aimUpM: 5000,
    actualLaunchHostUs: null,
    result: null,
    reason: null,
    nakReason: null,
    commandId: null,
    ...extra,
  };
}

function fire(
  commandId: number,
  engagementId: number,
  trackId: number,
  launcherId: string,
  launchAtHostUs: number,
): FireCommand {
  return {
    kind: 'fire',
    commandId,
    launcherId,
    engagementId,
    trackId,
    launchAtHostUs,
    interceptAtHostUs: launchAtHostUs + 7_000_000,
    aimEastM: 8000,
    aimNorthM: 6000,
    aimUpM: 5000,
  };
}

function tick(nowUs: number, content: { inputs?: unknown[]; commands?: unknown[]; events?: unknown[] }): RunRecord {
  return {
    kind: 'tick',
    tick: nowUs / 1000,
    nowUs,
    inputs: content.inputs ?? [],
    commands: content.commands ?? [],
    events: content.events ?? [],
  };
}

/** The recording. */
export function fixtureRun(): RunFileContents {
  seq = 0;
  const records: RunRecord[] = [
    {
      kind: 'idle',
      ticks: [
        [0, 0],
        [1, 1000],
      ],
    },
    {
      kind: 'audit',
      nowUs: 500_000,
      entry: {
        kind: 'command',
        id: 'req-1',
        verb: 'set-weapons-control',
        operator: 'op-a',
        keyId: 'key-a',
        authenticated: true,
        args: { status: 'tight' },
      },
    },
    {
      kind: 'audit',
      nowUs: 500_000,
      entry: {
        kind: 'outcome',
        result: {
          id: 'req-1',
          verb: 'set-weapons-control',
          operators: ['op-a'],
          status: 'completed',
          detail: '<b>ok</b>',
        },
      },
    },
    tick(500_000, {
      events: [
        {
          kind: 'weapons-control',
          seq: ++seq,
          atUs: 500_000,
          from: 'hold',
          to: 'tight',
          requestId: 'req-1',
          operatorIds: ['op-a'],
        },
      ],
    }),
    tick(1_000_000, {
      inputs: [
        {
          kind: 'track-measurement',
          receivedAtUs: 1_000_000,
          sourceId: 'radar-1',
          seq: 1,
          radarId: 'radar-1',
          radarTrackId: 101,
          measurementTimeUs: 990_000,
          eastM: 30000,
          northM: 20000,
          upM: 9000,
          eastMps: -300,
          northMps: -200,
          upMps: 0,
          positionSigmaM: 5,
          velocitySigmaMps: 1,
          quality: 90,
          iff: 'hostile',
        },
      ],
      events: [track(1_000_000, 1), track(1_000_000, 2)],
    }),
    tick(1_500_000, { events: [track(1_500_000, 3)] }),
    tick(2_000_000, { events: [engagement(2_000_000, 1, 1, 'launcher-1', 'planned')] }),
    tick(2_500_000, { events: [engagement(2_500_000, 4, 3, 'launcher-1', 'planned')] }),
    tick(3_000_000, {
      commands: [fire(10, 1, 1, 'launcher-1', 3_050_000)],
      events: [
        engagement(3_000_000, 1, 1, 'launcher-1', 'fire-sent', {
          state: 'fire-sent',
          fireCommandId: 10,
          launchAtHostUs: 3_050_000,
        }),
      ],
    }),
    tick(3_100_000, {
      events: [
        engagement(3_100_000, 1, 1, 'launcher-1', 'launched', {
          state: 'launched',
          fireCommandId: 10,
          launchAtHostUs: 3_050_000,
          actualLaunchHostUs: 3_050_002,
          interceptAtHostUs: 10_050_000,
        }),
      ],
    }),
    tick(4_000_000, { events: [engagement(4_000_000, 2, 2, 'launcher-2', 'planned')] }),
    tick(5_000_000, {
      commands: [fire(11, 2, 2, 'launcher-2', 5_050_000)],
      events: [
        engagement(5_000_000, 2, 2, 'launcher-2', 'fire-sent', {
          state: 'fire-sent',
          fireCommandId: 11,
          launchAtHostUs: 5_050_000,
        }),
      ],
    }),
    tick(5_100_000, {
      events: [
        engagement(5_100_000, 2, 2, 'launcher-2', 'launched', {
          state: 'launched',
          fireCommandId: 11,
          launchAtHostUs: 5_050_000,
          actualLaunchHostUs: 5_049_996,
          interceptAtHostUs: 12_050_000,
        }),
      ],
    }),
    tick(6_000_000, { events: [engagement(6_000_000, 3, 2, 'launcher-1', 'planned')] }),
    tick(7_000_000, {
      events: [engagement(7_000_000, 3, 2, 'launcher-1', 'aborted', { state: 'aborted', reason: 'hold-fire' })],
    }),
    tick(11_000_000, {
      events: [
        engagement(11_000_000, 1, 1, 'launcher-1', 'intercept-assessed', {
          state: 'assessed',
          fireCommandId: 10,
          result: 'kill',
        }),
        track(11_000_000, 1, 'destroyed'),
      ],
    }),
    tick(13_000_000, {
      events: [
        engagement(13_000_000, 2, 2, 'launcher-2', 'intercept-assessed', {
          state: 'assessed',
          fireCommandId: 11,
          result: 'miss',
        }),
      ],
    }),
    { kind: 'idle', ticks: [[20_000, 20_000_000]] },
    { kind: 'end', ticks: 20_001, outputsSha256: 'ab'.repeat(32), summary: {} },
  ];
  return { manifest: MANIFEST, records, complete: true, truncatedTail: false };
}

/** Straight-line samples of a target every 500 ms from `fromUs` to `toUs`. */
function samples(
  targetId: string,
  iff: 'hostile' | 'friendly' | 'unknown',
  fromUs: number,
  toUs: number,
  start: [number, number, number],
  velocity: [number, number, number],
): TruthRecord[] {
  const out: TruthRecord[] = [];
  for (let t = fromUs; t <= toUs; t += 500_000) {
    const dt = (t - fromUs) / 1e6;
    out.push({
      kind: 'target',
      tUs: t,
      targetId,
      iff,
      eastM: start[0] + velocity[0] * dt,
      northM: start[1] + velocity[1] * dt,
      upM: Math.max(0, start[2] + velocity[2] * dt),
      eastMps: velocity[0],
      northMps: velocity[1],
      upMps: velocity[2],
    });
  }
  return out;
}

/** The simulator's truth for the same run (truth time = host time: lockstep). */
export function fixtureTruth(): TruthRecord[] {
  const truth: TruthRecord[] = [
    {
      kind: 'run-start',
      tUs: 0,
      scenario: 'fixture',
      seed: 42,
      durationS: 20,
      clock: 'virtual',
      targets: [
        { targetId: 'tgt-a', iff: 'hostile', targetKind: 'ballistic' },
        { targetId: 'tgt-b', iff: 'hostile', targetKind: 'ballistic' },
        { targetId: 'f-1', iff: 'friendly', targetKind: 'aircraft' },
      ],
      devices: ['radar-1', 'launcher-1', 'launcher-2'],
    },
    { kind: 'fault', tUs: 4_000_000, deviceId: 'radar-1', fault: 'drop', phase: 'start' },
    { kind: 'fault', tUs: 6_000_000, deviceId: 'radar-1', fault: 'drop', phase: 'end' },
    ...samples('tgt-a', 'hostile', 0, 11_000_000, [30000, 20000, 9000], [-2000, -1300, 0]),
    ...samples('tgt-b', 'hostile', 0, 20_000_000, [-20000, 25000, 12000], [900, -1200, -600]),
    ...samples('f-1', 'friendly', 0, 20_000_000, [-15000, -15000, 3000], [0, 1500, 0]),
    {
      kind: 'launch',
      tUs: 3_300_001.5,
      executedUs: 3_050_001.5,
      launcherId: 'launcher-1',
      commandId: 10,
      trackId: 1,
      interceptorId: 'launcher-1#1',
      executeAtUs: 9_000_000,
      launcherTimeUs: 9_000_001,
      plannedWorldUs: 3_050_000,
      errorUs: 1.5,
      aim: { eastM: 8000, northM: 6000, upM: 5000 },
      roundsRemaining: 3,
      receivedUs: 3_000_500,
    },
    {
      kind: 'launch',
      tUs: 5_299_997,
      executedUs: 5_049_997,
      launcherId: 'launcher-2',
      commandId: 11,
      trackId: 2,
      interceptorId: 'launcher-2#1',
      executeAtUs: 9_000_000,
      launcherTimeUs: 9_000_000,
      plannedWorldUs: 5_050_000,
      errorUs: -3,
      aim: { eastM: -9000, northM: 9000, upM: 7000 },
      roundsRemaining: 3,
      receivedUs: 5_000_500,
    },
    {
      kind: 'kill',
      tUs: 10_000_000,
      targetId: 'tgt-a',
      iff: 'hostile',
      interceptorId: 'launcher-1#1',
      launcherId: 'launcher-1',
      commandId: 10,
      missM: 12,
      position: { eastM: 10000, northM: 7000, upM: 9000 },
    },
    {
      kind: 'closest-approach',
      tUs: 10_000_000,
      interceptorId: 'launcher-1#1',
      launcherId: 'launcher-1',
      commandId: 10,
      targetId: 'tgt-a',
      missM: 12,
      atUs: 10_000_000,
      end: 'detonated',
    },
    {
      kind: 'closest-approach',
      tUs: 12_500_000,
      interceptorId: 'launcher-2#1',
      launcherId: 'launcher-2',
      commandId: 11,
      targetId: 'tgt-b',
      missM: 120,
      atUs: 12_000_000,
      end: 'flight-time',
    },
    {
      kind: 'impact',
      tUs: 20_000_000,
      targetId: 'tgt-b',
      iff: 'hostile',
      leaker: true,
      position: { eastM: -2000, northM: 1000, upM: 0 },
    },
    {
      kind: 'run-end',
      tUs: 20_000_000,
      hostiles: 2,
      hostilesKilled: 1,
      leakers: 1,
      friendlyKills: 0,
      launches: 2,
      duplicateExecutions: 0,
      firesWhileLinkDown: 0,
      targetsFlying: 1,
    },
  ];
  return truth;
}

/** Real-time loop metrics (so the lateness chart draws). */
export const REALTIME_LOOP_METRICS: TickLoopMetrics = {
  mode: 'realtime',
  periodUs: 1000,
  overrunPolicy: 'skip',
  ticks: 20_000,
  missedTicks: 3,
  overruns: 2,
  latenessUs: { count: 20_000, p50: 12, p99: 85, p999: 240, max: 1300, mean: 15 },
  computeUs: { count: 20_000, p50: 20, p99: 60, p999: 110, max: 400, mean: 22 },
  inputRecords: 100,
  inputOverflows: 0,
  outputRecords: 100,
  outputOverflows: 0,
  ioStalls: 0,
  ioEventLoopDelayUs: { count: 100, p50: 50, p99: 900, p999: 1500, max: 2000, mean: 80 },
};

/** A summary file as `shieldlink run` writes it, with one failing measurement. */
export function fixtureSummary(): ReportSummaryFile {
  return {
    loopMetrics: REALTIME_LOOP_METRICS,
    measurements: [
      { name: 'launch error p99', metric: 'launchErrorUs.p99', value: 1.5, min: null, max: 200, pass: true },
      {
        name: 'no leakers',
        metric: 'leakers',
        value: 1,
        min: null,
        max: 0,
        pass: false,
        message: 'leakers = 1, limit <= 0: FAIL',
      },
    ],
    linkCounters: {
      'launcher-1': { framesIn: 120, framesOut: 90, retransmits: 2, naks: { busy: 0, late: 1 } },
      'radar-1': { framesIn: 400, framesOut: 20, retransmits: 0, naks: { busy: 0, late: 0 } },
    },
  };
}
