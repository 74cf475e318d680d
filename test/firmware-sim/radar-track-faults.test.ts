import t from 'tap';
import { type ScenarioInput, scenarioSchema } from '../../src/config/scenario-schema.js';
import type { RadarTrackFaults } from '../../src/config/scenario-radar-track-faults-schema.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { Prng } from '../../firmware-sim/prng.js';
import { RadarScanner, type ScanOutput } from '../../firmware-sim/radar/radar-scanner.js';
import { MemoryTruthSink } from '../../firmware-sim/truth/truth-sink.js';
import { World } from '../../firmware-sim/world/world.js';

/** Two targets flying side by side 100 m apart, one radar without noise. */
function scenarioWith(trackFaults: RadarTrackFaults | undefined, seed = 3): ScenarioInput {
  return {
    seed,
    durationS: 100,
    targets: [0, 100].map((northM, i) => ({
      id: `t${i}`,
      kind: 'constant-velocity' as const,
      iff: 'hostile' as const,
      position: { eastM: 20_000, northM, upM: 3000 },
      velocity: { eastMps: -200, northMps: 0, upMps: 0 },
    })),
    radars: [
      {
        id: 'radar-1',
        position: { eastM: 0, northM: 0, upM: 0 },
        scanPeriodMs: 1000,
        maxRangeM: 100_000,
        rangeSigmaM: 0,
        angleSigmaDeg: 0,
        velocitySigmaMps: 0,
        detectionProbability: 1,
        ...(trackFaults === undefined ? {} : { trackFaults }),
      },
    ],
  };
}

interface Scanned {
  scans: ScanOutput[];
  /** Per scan: radar track id → north (m) of the target it reported (0 or 100). */
  northByTrack: Map<number, number>[];
}

function scan(input: ScenarioInput, count: number): Scanned {
  const scenario = scenarioSchema.parse(input);
  const clock = new VirtualClock(0);
  const world = new World({ scenario, clock, truth: new MemoryTruthSink(), powerOnUs: 0 });
  const spec = scenario.radars[0]!;
  const scanner = new RadarScanner(spec, world, {
    detection: new Prng(scenario.seed, 'radar-1/detection'),
    noise: new Prng(scenario.seed, 'radar-1/noise'),
    falseAlarms: new Prng(scenario.seed, 'radar-1/false-alarms'),
    ...(spec.trackFaults === undefined ? {} : { trackFaults: new Prng(scenario.seed, 'radar-1/track-faults') }),
  });
  const scans: ScanOutput[] = [];
  const northByTrack: Map<number, number>[] = [];
  for (let k = 1; k <= count; k++) {
    const out = scanner.scan(k * 1e6, k * 1e6);
    scans.push(out);
    const m = new Map<number, number>();
    for (const r of out) if (r.type === 'TRACK_REPORT') m.set(r.trackId, Math.round(r.northM));
    northByTrack.push(m);
  }
  return { scans, northByTrack };
}

t.test('no track faults: one track per target, same numbers throughout', async (t) => {
  const { northByTrack } = scan(scenarioWith(undefined), 20);
  for (const m of northByTrack)
    t.same(
      [...m.entries()],
      [
        [1, 0],
        [2, 100],
      ],
    );
});

t.test('swap: close targets exchange track numbers; deterministic per seed', async (t) => {
  const faults = { swap: { withinM: 500, probability: 0.2 } };
  const a = scan(scenarioWith(faults), 40);
  const b = scan(scenarioWith(faults), 40);
  t.same(a.scans, b.scans, 'same seed, same bytes');
  const owners = a.northByTrack.map((m) => m.get(1));
  const swaps = owners.filter((north, k) => k > 0 && north !== owners[k - 1]).length;
  t.ok(swaps >= 2, `track 1 changed target ${swaps} times in 40 scans`);
  t.ok(
    a.northByTrack.every((m) => m.size === 2 && new Set(m.values()).size === 2),
    'still one report per target',
  );
  const far = scan(
    {
      ...scenarioWith(faults),
      targets: scenarioWith(faults).targets!.map((x, i) => ({ ...x, position: { ...x.position, northM: i * 1000 } })),
    },
    40,
  );
  t.ok(
    far.northByTrack.every((m) => m.get(1) === 0),
    'targets farther apart than withinM never swap',
  );
});

t.test('split: a second track on the same target for `scans` scans, then dropped lost', async (t) => {
  const { scans, northByTrack } = scan(scenarioWith({ split: { probability: 0.1, scans: 3 } }), 60);
  const extra = new Map<number, number>();
  northByTrack.forEach((m) => {
    for (const id of m.keys()) if (id > 2) extra.set(id, (extra.get(id) ?? 0) + 1);
  });
  t.ok(extra.size >= 2, `${extra.size} split tracks`);
  for (const [id, n] of extra) {
    if (id === Math.max(...extra.keys())) continue; // the last may still be alive at the end
    t.equal(n, 3, `split ${id} reported 3 scans`);
    t.ok(
      scans.some((out) => out.some((m) => m.type === 'TRACK_DROP' && m.trackId === id && m.reason === 'lost')),
      `split ${id} dropped lost`,
    );
  }
  t.ok(
    northByTrack.every((m) => m.get(1) === 0 && m.get(2) === 100),
    'the original tracks go on',
  );
});

t.test('late initiation: the first report comes `scans` detections late', async (t) => {
  const { northByTrack } = scan(scenarioWith({ lateInitiation: { probability: 1, scans: 4 } }), 10);
  for (let k = 0; k < 4; k++) t.equal(northByTrack[k]!.size, 0, `scan ${k + 1}: nothing reported yet`);
  t.same([...northByTrack[4]!.keys()], [1, 2], 'reported from the 5th scan');
});

t.test('track faults: clear schema errors', async (t) => {
  const bad = scenarioSchema.safeParse(scenarioWith({ split: { probability: 2, scans: 0 } } as never));
  t.notOk(bad.success);
  const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  t.ok(
    messages.includes('radars.0.trackFaults.split.probability: expected a probability in [0, 1]'),
    messages.join('; '),
  );
  t.ok(messages.includes('radars.0.trackFaults.split.scans: expected at least 1 scan'));
  const unknown = scenarioSchema.safeParse(scenarioWith({ merge: {} } as never));
  t.notOk(unknown.success, 'unknown fault kinds are refused');
});
