import t from 'tap';
import { createControlState, step, type ControlInput } from '../../src/control/index.js';
import { measurement, testConfig, type Truth } from './fixtures.js';

const A: Truth = { eastM: 20_000, northM: 5_000, upM: 6_000, eastMps: -200, northMps: 0, upMps: 0 };
const B: Truth = { eastM: 20_000, northM: 5_150, upM: 6_000, eastMps: -200, northMps: 0, upMps: 0 };

/**
 * One radar tracks two targets 150 m apart; at t = 5 s it swaps their numbers (track 1 now
 * reports B, track 2 reports A). Returns each host track's north (m) at the end, by track id.
 */
function run(filter: 'imm' | 'cv'): Map<number, number> {
  const state = createControlState(testConfig({ tracking: { filter } }));
  for (let now = 0; now <= 10_000_000; now += 500_000) {
    const swapped = now >= 5_000_000;
    const inputs: ControlInput[] = [
      measurement('R1', 1, now, swapped ? B : A),
      measurement('R1', 2, now, swapped ? A : B),
    ];
    step(state, inputs, now);
  }
  return new Map(state.tracks().map((tr) => [tr.trackId, Math.round(tr.northM)]));
}

t.test('imm: a radar track swap does not swap the host tracks (they follow the targets)', async (t) => {
  const imm = run('imm');
  t.equal(imm.size, 2, 'two host tracks');
  t.same(
    [...imm.entries()].sort((x, y) => x[0] - y[0]),
    [
      [1, 5000],
      [2, 5150],
    ],
  );
});

t.test('cv (the baseline): the host tracks follow the radar numbers across the swap', async (t) => {
  const cv = run('cv');
  t.equal(cv.size, 2);
  const north = [...cv.entries()].sort((x, y) => x[0] - y[0]).map(([, n]) => n);
  t.ok(north[0]! > 5100 && north[1]! < 5050, `track 1 now at ${north[0]} m north, track 2 at ${north[1]} m`);
});

t.test('config: the filter must be imm or cv', async (t) => {
  t.throws(() => testConfig({ tracking: { filter: 'kalman' as never } }), /tracking\.filter/);
});
