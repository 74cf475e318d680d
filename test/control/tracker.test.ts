import t from 'tap';
import {
  createControlState,
  step,
  type ControlEvent,
  type ControlInput,
  type TrackEvent,
} from '../../src/control/index.js';
import { drop, G, measurement, testConfig, type Truth } from './fixtures.js';

const A: Truth = { eastM: 20_000, northM: 5_000, upM: 6_000, eastMps: -200, northMps: 0, upMps: 0 };
const B: Truth = { eastM: 20_000, northM: 5_600, upM: 6_000, eastMps: -200, northMps: 0, upMps: 0 };

/** Seeded normal noise (LCG + Box-Muller), so tests are repeatable. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

function trackEvents(events: ControlEvent[], transition: TrackEvent['transition']): TrackEvent[] {
  return events.filter((e): e is TrackEvent => e.kind === 'track' && e.transition === transition);
}

t.test('two radars reporting the same two close targets make exactly two tracks', (t) => {
  const state = createControlState(testConfig());
  const events: ControlEvent[] = [];
  for (let now = 0; now <= 3_000_000; now += 250_000) {
    const inputs: ControlInput[] =
      (now / 250_000) % 2 === 0
        ? [measurement('R1', 1, now, A), measurement('R1', 2, now, B)]
        : [measurement('R2', 71, now, B), measurement('R2', 70, now, A)];
    events.push(...step(state, inputs, now).events);
  }
  const tracks = state.tracks();
  t.equal(tracks.length, 2, 'two host tracks');
  const byNorth = [...tracks].sort((x, y) => x.northM - y.northM);
  t.same(
    byNorth.map((tr) => tr.radarTracks.map((l) => `${l.radarId}:${l.radarTrackId}`).sort()),
    [
      ['R1:1', 'R2:70'],
      ['R1:2', 'R2:71'],
    ],
    'each radar track associated with the right target',
  );
  t.equal(trackEvents(events, 'associated').length, 2);
  t.end();
});

t.test('filter follows a noisy target; staleness: coast then drop', (t) => {
  const state = createControlState(testConfig({ tracking: { coastAfterUs: 1_500_000, dropAfterUs: 3_000_000 } }));
  const n = noise(7);
  const events: ControlEvent[] = [];
  let now = 0;
  for (; now <= 20_000_000; now += 500_000) {
    const p = measurement('R1', 5, now, A);
    const noisy = {
      ...p,
      eastM: p.eastM + 5 * n(),
      northM: p.northM + 5 * n(),
      upM: p.upM + 5 * n(),
      eastMps: p.eastMps + n(),
      northMps: p.northMps + n(),
      upMps: p.upMps + n(),
    };
    events.push(...step(state, [noisy], now).events);
  }
  const last = now - 500_000;
  const est = state.tracks()[0]!;
  const truthEast = A.eastM + A.eastMps * (last / 1e6);
  t.ok(Math.abs(est.eastM - truthEast) < 10, `position error ${(est.eastM - truthEast).toFixed(2)} m`);
  t.ok(Math.abs(est.eastMps - A.eastMps) < 2, `velocity error ${(est.eastMps - A.eastMps).toFixed(2)} m/s`);
  t.equal(est.model, 'constant-velocity', 'level flight stays constant velocity');
  // Silence.
  for (let tick = last + 100_000; tick <= last + 3_100_000; tick += 100_000)
    events.push(...step(state, [], tick).events);
  const coast = trackEvents(events, 'coasting')[0];
  const dropped = trackEvents(events, 'dropped')[0];
  t.ok(coast && coast.atUs > last + 1_500_000 && coast.atUs <= last + 1_600_000, 'coasting after 1.5 s');
  t.ok(dropped && dropped.atUs > last + 3_000_000, 'dropped after 3 s');
  t.equal(dropped?.reason, 'stale');
  t.equal(state.trackCount, 0);
  t.end();
});

t.test('ballistic classification with noise', (t) => {
  const state = createControlState(testConfig());
  const n = noise(3);
  const ballistic: Truth = {
    eastM: 30_000,
    northM: 0,
    upM: 10_000,
    eastMps: -600,
    northMps: 0,
    upMps: 300,
    accelUpMps2: -G,
  };
  for (let now = 0; now <= 8_000_000; now += 500_000) {
    const p = measurement('R1', 9, now, ballistic);
    step(state, [{ ...p, upM: p.upM + 5 * n(), upMps: p.upMps + n() }], now);
  }
  const tr = state.tracks()[0]!;
  t.equal(tr.model, 'ballistic');
  t.ok(tr.impactAtHostUs !== null, 'ballistic track has an impact time');
  t.end();
});

t.test('radar drops: one radar keeps the track; destroyed marks it; last link removes it', (t) => {
  const state = createControlState(testConfig());
  step(state, [measurement('R1', 1, 0, A), measurement('R2', 50, 0, A)], 0);
  t.equal(state.trackCount, 1);
  let out = step(state, [drop('R1', 1, 100_000, 'lost')], 100_000);
  t.equal(state.trackCount, 1, 'R2 still reports it');
  t.ok(out.events.some((e) => e.kind === 'track' && e.transition === 'link-dropped'));
  out = step(state, [drop('R2', 50, 200_000, 'destroyed')], 200_000);
  t.same(
    out.events.filter((e) => e.kind === 'track').map((e) => (e as TrackEvent).transition),
    ['link-dropped', 'destroyed', 'dropped'],
  );
  t.equal(state.trackCount, 0);
  t.end();
});

t.test('IFF fuses fail-safe: any radar saying friendly wins', (t) => {
  const state = createControlState(testConfig());
  step(state, [measurement('R1', 1, 0, A, { iff: 'hostile' })], 0);
  const out = step(state, [measurement('R2', 2, 100_000, A, { iff: 'friendly' })], 100_000);
  t.equal(state.tracks()[0]!.iff, 'friendly');
  t.ok(out.events.some((e) => e.kind === 'track' && e.transition === 'iff-changed' && e.iff === 'friendly'));
  t.end();
});

t.test('rejected inputs', (t) => {
  const state = createControlState(testConfig());
  step(state, [measurement('R1', 1, 1_000_000, A)], 1_000_000);
  const out = step(
    state,
    [
      measurement('R9', 1, 1_100_000, A),
      measurement('R1', 1, 500_000, A, { receivedAtUs: 1_100_000 }),
      measurement('R1', 2, 1_100_000, A, { eastM: Number.NaN }),
    ],
    1_100_000,
  );
  t.same(
    out.events.filter((e) => e.kind === 'input-rejected').map((e) => e.kind === 'input-rejected' && e.reason),
    ['out-of-sequence', 'malformed', 'unknown-radar'],
    'in processing order (receive time, source id, seq)',
  );
  t.throws(() => step(state, [], 1_000), { code: 'time-regressed' }, 'time never goes back');
  t.end();
});

t.test('track table capacity: full table rejects, never overflows', (t) => {
  const state = createControlState(testConfig({ tracking: { maxTracks: 3 } }));
  const inputs = [0, 1, 2, 3].map((i) => measurement('R1', i, 0, { ...A, northM: i * 10_000 }));
  const out = step(state, inputs, 0);
  t.equal(state.trackCount, 3);
  t.equal(out.events.filter((e) => e.kind === 'input-rejected').length, 1);
  t.end();
});
