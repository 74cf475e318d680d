import t from 'tap';
import { createControlState, step } from '../../src/control/index.js';
import { G, measurement, operator, testConfig, type Truth } from './fixtures.js';

const LEVEL: Truth = { eastM: 10_000, northM: 0, upM: 3_000, eastMps: -100, northMps: 0, upMps: 0 };
const DIVE: Truth = { eastM: 0, northM: 20_000, upM: 6_000, eastMps: 0, northMps: -200, upMps: -100 };
const BALLISTIC: Truth = {
  eastM: -30_000,
  northM: 0,
  upM: 8_000,
  eastMps: 500,
  northMps: 0,
  upMps: 0,
  accelUpMps2: -G,
};
const TOWARDS_POINT: Truth = { eastM: 0, northM: -12_000, upM: 500, eastMps: 0, northMps: 400, upMps: 0 };

t.test('threat order: predicted impact (ground or defended point), then range; operator priority first', (t) => {
  const state = createControlState(
    // Exact noise-free arithmetic (a level track's vertical velocity exactly 0): the cv filter.
    // The IMM's mixture leaves a ~1e-6 m/s sink rate, an "impact" hundreds of days out.
    testConfig({
      defendedPoints: [{ id: 'base', position: { eastM: 0, northM: 0, upM: 0 }, radiusM: 1_000 }],
      tracking: { filter: 'cv' },
    }),
  );
  for (let now = 0; now <= 4_000_000; now += 500_000) {
    step(
      state,
      [
        measurement('R1', 1, now, LEVEL),
        measurement('R1', 2, now, DIVE),
        measurement('R1', 3, now, BALLISTIC),
        measurement('R1', 4, now, TOWARDS_POINT),
      ],
      now,
    );
  }
  const tracks = state.tracks();
  const byRadarTrack = (id: number) => tracks.find((tr) => tr.radarTracks[0]!.radarTrackId === id)!;
  // Ballistic from 8 km falls in ~40 s; the dive reaches the ground in 60 s; the point-bound
  // target enters the 1 km sphere in ~27.5 s; the level one never impacts.
  t.equal(byRadarTrack(3).model, 'ballistic');
  t.same(
    tracks.map((tr) => tr.radarTracks[0]!.radarTrackId),
    [4, 3, 2, 1],
    'defended point entry, ballistic fall, dive, then the level flight',
  );
  t.equal(byRadarTrack(1).impactAtHostUs, null, 'no impact for level flight');
  const level = byRadarTrack(1).trackId;
  step(state, [operator(4_100_000, { verb: 'set-weapons-control', status: 'free' })], 4_100_000);
  const out = step(state, [operator(4_200_000, { verb: 'engage-track', trackId: level })], 4_200_000);
  t.ok(out.events.some((e) => e.kind === 'operator-command-result' && e.result === 'accepted'));
  t.equal(state.tracks()[0]!.trackId, level, 'operator priority ranks first');
  t.end();
});
