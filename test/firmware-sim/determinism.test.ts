import { join } from 'node:path';
import t from 'tap';
import { loadScenario } from '../../src/config/load-scenario.js';
import type { Scenario } from '../../src/config/scenario-schema.js';
import { bench } from './sim-harness.js';

const DIR = join(import.meta.dirname, '../../hil-configs/scenarios');

/**
 * A scripted host: handshake, heartbeats, time sync, arm, then one FIRE per hostile aimed at
 * where the radar last saw it (no physics: only a fixed script of inputs).
 */
async function run(scenario: Scenario, untilUs: number): Promise<{ bytes: Record<string, number[]>; truth: string }> {
  const b = await bench(scenario);
  for (const host of Object.values(b.hosts)) {
    host.hello();
    host.startHeartbeats();
    host.reconnectAutomatically();
  }
  const launcherId = scenario.launchers[0]!.id;
  const radarId = scenario.radars[0]!.id;
  await b.clock.advance(100_000);
  let armId = 1;
  b.host(launcherId).command({ type: 'ARM', commandId: armId++ });
  let commandId = 100;
  let t1 = 0;
  while (b.clock.nowUs() < untilUs) {
    await b.clock.advance(100_000);
    for (const host of Object.values(b.hosts)) host.send({ type: 'TIME_SYNC_REQUEST', t1HostUs: ++t1 });
    const last = b.host(radarId).last('TRACK_REPORT');
    const ident = b.host(launcherId).last('LAUNCHER_STATUS');
    if (ident?.state === 'safe' && b.clock.nowUs() % 1_000_000 === 0)
      b.host(launcherId).command({ type: 'ARM', commandId: armId++ });
    if (last !== undefined && ident !== undefined && b.clock.nowUs() % 5_000_000 === 0) {
      b.host(launcherId).command({
        type: 'FIRE',
        commandId: commandId++,
        trackId: last.trackId,
        executeAtUs: ident.deviceTimeUs + 500_000,
        aimEastM: last.eastM,
        aimNorthM: last.northM,
        aimUpM: last.upM,
      });
    }
  }
  await b.sim.stop();
  return {
    bytes: Object.fromEntries(Object.entries(b.hosts).map(([id, h]) => [id, h.bytes])),
    truth: b.truth.toJsonl(),
  };
}

t.test('same seed and scenario: byte-identical device output and truth log (virtual clock)', async (t) => {
  const scenario = await loadScenario(join(DIR, 'link-faults.yaml'));
  const first = await run(scenario, 65_000_000);
  const second = await run(scenario, 65_000_000);
  t.ok(first.bytes['radar-1']!.length > 50_000, `radar bytes ${first.bytes['radar-1']!.length}`);
  t.ok(first.truth.includes('"kind":"launch"'), 'something launched');
  t.ok(first.truth.includes('"fault":"disconnect"'));
  for (const id of Object.keys(first.bytes)) t.same(first.bytes[id], second.bytes[id], `${id} output identical`);
  t.equal(first.truth, second.truth, 'truth log identical');
  const other = await run({ ...scenario, seed: scenario.seed + 1 }, 10_000_000);
  t.not(other.bytes['radar-1']!.length, first.bytes['radar-1']!.slice(0, other.bytes['radar-1']!.length).length + 1);
  t.notSame(
    other.bytes['radar-1'],
    first.bytes['radar-1']!.slice(0, other.bytes['radar-1']!.length),
    'another seed differs',
  );
});
