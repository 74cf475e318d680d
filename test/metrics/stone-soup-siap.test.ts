/**
 * SIAP against the reference values of Stone Soup's own tests (dstl/Stone-Soup,
 * stonesoup/metricgenerator/tests/test_tracktotruthmetrics.py `test_siap`, on the fixtures of
 * stonesoup/metricgenerator/tests/conftest.py: `trial_truths`, `trial_tracks`,
 * `trial_associations`): the same three truths, three tracks and five time-range associations
 * over four instants one second apart, and the expected counts, accuracies, times and rate, to
 * 1e-5. Stone Soup state vectors are [x, vx, y, vy]; position is (x, y), velocity (vx, vy).
 */
import t from 'tap';
import {
  type PictureFrame,
  type PictureObject,
  SiapData,
  siap,
  type TrackTruthAssociation,
} from '../../src/metrics/index.js';

const TOL = 1e-5;
type Sv = readonly [number, number, number, number];
const state = (id: string, sv: Sv): PictureObject => ({ id, position: [sv[0], sv[2]], velocity: [sv[1], sv[3]] });

const truths: Record<string, Sv[]> = {
  truth0: [
    [0, 1, 0, 1],
    [1, 1, 1, 1],
    [2, 1, 2, 1],
    [3, 1, 3, 1],
  ],
  truth1: [
    [-2, 1, -2, 1],
    [-1, 1, -1, 1],
    [0, 1, 0, 1],
    [2, 1, 2, 1],
  ],
  truth2: [
    [-1, 1, 1, 0],
    [0, 1, 1, 0],
    [1, 1, 2, 0],
    [3, 1, 3, 0],
  ],
};
/** track2 has two states at t1 in the fixture; the later one (0.999 …) is kept. */
const tracks: Record<string, Sv[]> = {
  track0: [
    [0.1, 1.2, 0.1, 1.2],
    [1.1, 1.2, 1.1, 1.2],
    [2.1, 1.2, 2.1, 1.2],
    [3.1, 1.2, 3.1, 1.2],
  ],
  track1: [
    [-2.5, 1.6, -2.5, 1.6],
    [-1.5, 1.6, -1.5, 1.6],
    [0.5, 1.6, 0.5, 1.6],
    [1.5, 1.6, 1.5, 1.6],
  ],
  track2: [
    [-1.99, 1.99, 1.99, 1.99],
    [0.999, 1.99, 1.999, 1.99],
    [1.99, 1.99, 1.99, 1.99],
    [2.99, 1.99, 1.99, 1.99],
  ],
};
const frames: PictureFrame[] = [0, 1, 2, 3].map((k) => ({
  tS: k,
  truths: Object.entries(truths).map(([id, svs]) => state(id, svs[k]!)),
  tracks: Object.entries(tracks).map(([id, svs]) => state(id, svs[k]!)),
}));
const associations: TrackTruthAssociation[] = [
  { truthId: 'truth0', trackId: 'track0', startS: 0, endS: 2 },
  { truthId: 'truth1', trackId: 'track1', startS: 0, endS: 1 },
  { truthId: 'truth1', trackId: 'track1', startS: 2, endS: 3 },
  { truthId: 'truth2', trackId: 'track2', startS: 1, endS: 2 },
  { truthId: 'truth0', trackId: 'track2', startS: 1, endS: 3 },
];

t.test('test_siap: counts, accuracy at t0, times tracked, tracks needed, rate, lifetimes', async (t) => {
  const data = new SiapData(frames, associations);
  t.same(
    [0, 1, 2, 3].map((k) => data.countsAt(k).tracks),
    [3, 3, 3, 3],
    'num_tracks_at_time',
  );
  t.same(
    [0, 1, 2, 3].map((k) => data.countsAt(k).associatedTracks),
    [2, 3, 3, 2],
    'num_associated_tracks_at_time',
  );
  const t0 = data.countsAt(0);
  const pos = Math.sqrt(0.1 ** 2 + 0.1 ** 2) + Math.sqrt(0.5 ** 2 + 0.5 ** 2);
  const vel = Math.sqrt(0.2 ** 2 + 0.2 ** 2) + Math.sqrt(0.6 ** 2 + 0.6 ** 2);
  t.ok(Math.abs(t0.positionErrorSum - pos) < TOL, `accuracy_at_time position ${t0.positionErrorSum} ≈ ${pos}`);
  t.ok(Math.abs(t0.velocityErrorSum - vel) < TOL, `accuracy_at_time velocity ${t0.velocityErrorSum} ≈ ${vel}`);
  t.same(
    ['truth0', 'truth1', 'truth2', 'none'].map((id) => data.totalTimeTracked(id)),
    [3, 2, 1, 0],
    'total_time_tracked',
  );
  t.same(
    ['truth0', 'truth1', 'truth2', 'none'].map((id) => data.minTracksNeeded(id)),
    [2, 2, 1, 0],
    'min_num_tracks_needed_to_track',
  );
  const rate = data.rateOfTrackNumberChange()!;
  const expected = (2 - 1 + 2 - 1 + 1 - 1) / (3 + 2 + 1);
  t.ok(Math.abs(rate - expected) < TOL, `rate_of_track_number_changes ${rate} ≈ ${expected}`);
  t.same(
    ['truth0', 'truth1', 'truth2'].map((id) => data.truthLifetime(id)),
    [3, 3, 3],
    'truth_lifetime',
  );
  t.same(
    ['truth0', 'truth1', 'truth2'].map((id) => data.longestTrackTimeOnTruth(id)),
    [2, 1, 1],
    'longest_track_time_on_truth',
  );
});

t.test('compute_metric: the run ratios follow from those counts (Stone Soup formulas)', async (t) => {
  const s = siap(frames, associations);
  // J = 3 at each of 4 instants; JT: t0 {0,1}, t1..t2 {0,1,2}, t3 {0,1} → 10 of 12.
  t.ok(Math.abs(s.completeness! - 10 / 12) < TOL, `completeness ${s.completeness}`);
  // NA = 2+3+3+2 = 10 over JT 10.
  t.ok(Math.abs(s.ambiguity! - 1) < TOL, `ambiguity ${s.ambiguity}`);
  // N = 12, NA = 10.
  t.ok(Math.abs(s.spuriousness! - 2 / 12) < TOL, `spuriousness ${s.spuriousness}`);
  // LS = (2 + 1 + 1) / (3 + 3 + 3).
  t.ok(Math.abs(s.longestTrackSegment! - 4 / 9) < TOL, `longest track segment ${s.longestTrackSegment}`);
  t.equal(s.frames.length, 4);
  t.ok(Math.abs(s.frames[0]!.positionalAccuracy! - (Math.sqrt(0.02) + Math.sqrt(0.5)) / 2) < TOL, 'PA at t0 = PA/NA');
});

t.test('test_siap_interpolates_association_timestamp_without_track_state (siap_track_gaps)', async (t) => {
  const gapFrames: PictureFrame[] = [
    { tS: 0, truths: [state('truth', [0, 0, 0, 0])], tracks: [state('track', [0.1, 0, 0.1, 0])] },
    { tS: 1, truths: [state('truth', [1, 0, 1, 0])], tracks: [] },
    { tS: 2, truths: [state('truth', [2, 0, 2, 0])], tracks: [state('track', [2.1, 0, 2.1, 0])] },
  ];
  const data = new SiapData(gapFrames, [{ truthId: 'truth', trackId: 'track', startS: 0, endS: 2 }]);
  const c = data.countsAt(1);
  t.equal(c.associatedTracks, 1);
  t.ok(Math.abs(c.positionErrorSum - Math.sqrt(2 * 0.1 ** 2)) < TOL, `interpolated accuracy ${c.positionErrorSum}`);
});
