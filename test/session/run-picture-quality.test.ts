/**
 * The run's picture scored against truth: the sampler keeps one picture per period (confirmed,
 * live tracks predicted to the sample instant), truth is interpolated to the same instant, and
 * the figures and the series follow from the metrics library. Also: the scenario's settings,
 * the measurement paths, and the summary table rows.
 */
import t from 'tap';
import type { TrackSnapshot } from '../../src/control/index.js';
import { pictureQualitySettings } from '../../src/config/scenario-picture-quality-schema.js';
import { MEASURABLE_METRICS } from '../../src/config/scenario-measurement-schema.js';
import { scenarioSchema } from '../../src/config/scenario-schema.js';
import { evaluateMeasurements } from '../../src/session/evaluate-measurements.js';
import { PictureSampler } from '../../src/session/picture-sampler.js';
import { pictureFrames, runPictureQuality } from '../../src/session/run-picture-quality.js';
import type { RunSummary } from '../../src/session/run-summary.js';

function track(id: number, eastM: number, eastMps: number, estimateTimeUs: number, extra: Partial<TrackSnapshot> = {}) {
  return {
    trackId: id,
    threatRank: 0,
    iff: 'hostile',
    model: 'constant-velocity',
    estimateTimeUs,
    eastM,
    northM: 0,
    upM: 1000,
    eastMps,
    northMps: 0,
    upMps: 0,
    quality: 1,
    confirmed: true,
    coasting: false,
    destroyed: false,
    impactAtHostUs: null,
    operatorPriority: false,
    hold: 'none',
    radarTracks: [],
    ...extra,
  } as unknown as TrackSnapshot;
}

t.test('the sampler keeps one picture per period, confirmed live tracks, predicted to the instant', async (t) => {
  const sampler = new PictureSampler(1_000_000, 3);
  for (let us = 0; us <= 5_000_000; us += 200_000) {
    sampler.add({
      nowUs: us,
      tracks: [
        track(1, 100, 10, us - 100_000),
        track(2, 0, 0, us, { confirmed: false }),
        track(3, 0, 0, us, { destroyed: true }),
      ],
    });
  }
  const samples = sampler.samples();
  t.same(
    samples.map((s) => s.atUs),
    [0, 1_000_000, 2_000_000],
    'one per second, bounded to 3',
  );
  t.ok(sampler.truncated, 'truncated once the bound is reached');
  t.same(
    samples[1]!.tracks.map((x) => x.trackId),
    [1],
    'tentative and destroyed tracks left out',
  );
  t.equal(samples[1]!.tracks[0]!.position[0], 101, 'predicted 0.1 s at 10 m/s');
});

const truth = [
  { kind: 'target', tUs: 0, targetId: 'a', eastM: 0, northM: 0, upM: 1000, eastMps: 10, northMps: 0, upMps: 0 },
  {
    kind: 'target',
    tUs: 2_000_000,
    targetId: 'a',
    eastM: 20,
    northM: 0,
    upM: 1000,
    eastMps: 10,
    northMps: 0,
    upMps: 0,
  },
  { kind: 'target', tUs: 0, targetId: 'b', eastM: 5000, northM: 0, upM: 1000, eastMps: 0, northMps: 0, upMps: 0 },
  { kind: 'launch', tUs: 1 },
];

t.test(
  'truth is interpolated to each sample instant and shifted by the epoch; absent outside its samples',
  async (t) => {
    const frames = pictureFrames(
      [{ atUs: 1_000_000, tracks: [{ trackId: 7, position: [13, 0, 1000], velocity: [10, 0, 0] }] }],
      truth,
      0,
    );
    t.equal(frames[0]!.tS, 1);
    t.same(
      frames[0]!.truths.map((x) => [x.id, x.position]),
      [['a', [10, 0, 1000]]],
      'b has one sample (t=0): absent at 1 s',
    );
    const shifted = pictureFrames([{ atUs: 1_500_000, tracks: [] }], truth, 1_000_000);
    t.same(shifted[0]!.truths[0]!.position, [5, 0, 1000], 'host 1.5 s = truth 0.5 s');
  },
);

t.test('figures: GOSPA and SIAP of a one-track picture against one target', async (t) => {
  const samples = [0, 1_000_000, 2_000_000].map((atUs) => ({
    atUs,
    tracks: [{ trackId: 7, position: [atUs / 1e5 + 3, 4, 1000] as const, velocity: [10, 0, 0] as const }],
  }));
  const settings = pictureQualitySettings({ cutoffM: 100 });
  const { summary, series } = runPictureQuality(samples, truth.slice(0, 2), 0, settings);
  t.equal(summary.frames, 3);
  t.equal(summary.cutoffM, 100);
  t.equal(summary.p, 2, 'default p');
  t.ok(Math.abs(summary.gospa!.mean - 5) < 1e-9, `GOSPA = the 5 m error at every instant (${summary.gospa!.mean})`);
  t.ok(Math.abs(summary.gospa!.localisation - 25) < 1e-9);
  t.same([summary.siap.completeness, summary.siap.ambiguity, summary.siap.spuriousness], [1, 1, 0]);
  t.ok(Math.abs(summary.siap.positionalAccuracyM! - 5) < 1e-9);
  t.equal(series.length, 3);
  const far = runPictureQuality(samples, truth.slice(0, 2), 0, pictureQualitySettings({ associationRadiusM: 4 }));
  t.same(
    [far.summary.siap.completeness, far.summary.siap.spuriousness],
    [0, 1],
    'outside the radius: not on the target',
  );
});

t.test('scenario settings: optional, defaults filled, bad values rejected with the reason', async (t) => {
  t.same(pictureQualitySettings(undefined), {
    cutoffM: 500,
    p: 2,
    switchingPenaltyM: 500,
    associationRadiusM: 500,
    samplePeriodS: 1,
  });
  const base = { seed: 1, durationS: 10 };
  t.ok(scenarioSchema.safeParse(base).success, 'absent is valid');
  t.ok(scenarioSchema.safeParse({ ...base, pictureQuality: { associationRadiusM: 250 } }).success);
  const bad = scenarioSchema.safeParse({ ...base, pictureQuality: { p: 0.5 } });
  t.notOk(bad.success);
  t.match(JSON.stringify(bad.error?.issues), /expected p >= 1/);
  t.notOk(scenarioSchema.safeParse({ ...base, pictureQuality: { cutof: 3 } }).success, 'unknown key rejected');
});

t.test('measurements on picture quality: judged from the summary; unmeasured fails', async (t) => {
  for (const m of [
    'pictureQuality.gospa.mean',
    'pictureQuality.siap.completeness',
    'pictureQuality.siap.ambiguity',
    'pictureQuality.siap.spuriousness',
    'pictureQuality.siap.positionalAccuracyM',
  ])
    t.ok((MEASURABLE_METRICS as readonly string[]).includes(m), m);
  const { summary: pictureQuality } = runPictureQuality(
    [{ atUs: 0, tracks: [{ trackId: 1, position: [0, 0, 1000], velocity: [0, 0, 0] }] }],
    truth.slice(0, 2),
    0,
    pictureQualitySettings(undefined),
  );
  const summary = { pictureQuality } as unknown as RunSummary;
  const [gospa, completeness] = evaluateMeasurements(summary, [
    { metric: 'pictureQuality.gospa.mean', max: 1, abs: false },
    { metric: 'pictureQuality.siap.completeness', min: 0.99, abs: false },
  ]);
  t.ok(gospa!.pass, gospa!.message);
  t.ok(completeness!.pass, completeness!.message);
  const [none] = evaluateMeasurements({ pictureQuality: null } as unknown as RunSummary, [
    { metric: 'pictureQuality.gospa.mean', max: 1, abs: false },
  ]);
  t.notOk(none!.pass, 'no truth: nothing measured fails');
});
