import t from 'tap';
import { scenarioSchema } from '../../src/config/scenario-schema.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { MemoryTruthSink } from '../../firmware-sim/truth/truth-sink.js';
import { World } from '../../firmware-sim/world/world.js';

const diving = {
  id: 'd',
  kind: 'constant-velocity',
  startS: 1,
  iff: 'hostile',
  position: { eastM: 0, northM: 0, upM: 3000 },
  velocity: { eastMps: 100, northMps: 0, upMps: -100 },
};

t.test('a target destroyed in another world ends here: no impact, no leaker, not this world’s kill', async (t) => {
  const clock = new VirtualClock();
  const truth = new MemoryTruthSink();
  const scenario = scenarioSchema.parse({ seed: 1, durationS: 60, truthSampleMs: 250, targets: [diving] });
  const world = new World({ scenario, clock, truth, powerOnUs: 0 });
  const kills: string[] = [];
  world.onKill((id) => kills.push(id));
  world.start();
  await clock.runUntil(10e6);
  world.destroyElsewhere('nope', 10e6);
  world.destroyElsewhere('d', 10e6);
  world.destroyElsewhere('d', 11e6);
  await clock.runUntil(60e6);
  const records = truth.ofKind('destroyed-elsewhere' as never) as unknown as { targetId: string; tUs: number }[];
  t.equal(records.length, 1, 'logged once; an unknown target is ignored');
  t.match(records[0], { targetId: 'd', tUs: 10e6 });
  t.equal(truth.ofKind('impact').length, 0, 'it never lands');
  t.equal(world.totals.leakers, 0);
  t.equal(world.totals.hostilesKilled, 0, 'not counted as this world’s kill');
  t.same(kills, [], 'nor told to kill listeners');
  t.ok(
    truth.ofKind('target').every((s) => s.tUs <= 10e6),
    'no truth sample after it ended',
  );
});
