/**
 * The simulator drives an ASTERIX radar inside `shieldlink run`: single-ballistic with its radar
 * declared as an ASTERIX CAT048/CAT034 radar and the serial launcher. The target is tracked from
 * CAT048 plots alone and intercepted — in virtual time over the memory link (twice: the
 * recordings are byte-identical) and once in real time over loopback UDP.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { runBench } from '../../src/compose/run-bench.js';
import { SimulatedAsterixConfigError } from '../../src/compose/simulated-devices.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';

const SCENARIO = path.resolve('hil-configs/scenarios/single-ballistic.yaml');
/** The bench's site, and radar-1's (scenario position 0 E, 0 N, 15 m up) in WGS-84. */
const BENCH_SITE = '{ latDeg: 45.8, lonDeg: 15.97, heightM: 110 }';
const RADAR_SITE = '{ latDeg: 45.8, lonDeg: 15.97, heightM: 125 }';

interface AsterixCounters {
  readonly status: string;
  readonly measurements: number;
  readonly serviceMessages: number;
  readonly malformedBlocks: number;
  readonly refused: Record<string, number>;
}

function benchConfig(dir: string, radarSite = RADAR_SITE): string {
  const file = path.join(dir, 'bench.yaml');
  writeFileSync(
    file,
    [
      'node: { id: asterix-sim }',
      `scenario: ${SCENARIO}`,
      'simulator: { enabled: true, placement: in-process }',
      `site: ${BENCH_SITE}`,
      'devices:',
      '  asterixRadars:',
      '    - id: radar-1',
      '      protocol: asterix-cat048',
      '      link: udp://127.0.0.1:0',
      `      site: ${radarSite}`,
      '      sac: 25',
      '      sic: 13',
      '      accuracy: { rangeSigmaM: 5, azimuthSigmaDeg: 0.02, velocitySigmaMps: 3 }',
      '      mode4NoReply: hostile',
      'broker: { disabled: true }',
      `output: { dir: ${path.join(dir, 'runs')} }`,
    ].join('\n'),
  );
  return file;
}

t.test('virtual time: tracked from CAT048 plots and intercepted, byte-identical run to run', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'asterix-sim-'));
  const loaded = await loadBenchConfig(benchConfig(dir));
  const digests: string[] = [];
  for (const run of [1, 2]) {
    const result = await runBench({
      loaded,
      virtualTime: true,
      broker: 'none',
      durationS: 70,
      recordFile: path.join(dir, `run-${run}.run`),
    });
    const radar = result.linkCounters['radar-1'] as AsterixCounters;
    t.equal(radar.status, 'active', 'CAT034 north markers keep the radar active');
    t.ok(radar.measurements > 50, `${radar.measurements} CAT048 plots became measurements`);
    t.equal(radar.malformedBlocks, 0);
    t.same(radar.refused, {
      'other-source': 0,
      incomplete: 0,
      'no-height': 0,
      simulated: 0,
      'test-target': 0,
      ghost: 0,
    });
    t.ok(
      result.controlConfig.radars.some((r) => r.id === 'radar-1'),
      'radar-1 is a control-core radar',
    );
    t.equal(result.summary.intercepted, 1, 'the ballistic target is intercepted');
    t.equal(result.summary.leakers, 0);
    t.equal(result.summary.friendliesEngaged, 0);
    digests.push(result.summary.recordingSha256!);
  }
  t.equal(digests[0], digests[1], 'same config, scenario and seed: the same recording');
});

t.test('a site that is not the scenario radar position is refused, naming the right one', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'asterix-sim-'));
  const loaded = await loadBenchConfig(benchConfig(dir, '{ latDeg: 45.81, lonDeg: 15.97, heightM: 125 }'));
  await t.rejects(runBench({ loaded, virtualTime: true, broker: 'none', durationS: 1 }), SimulatedAsterixConfigError);
  await t.rejects(runBench({ loaded, virtualTime: true, broker: 'none', durationS: 1 }), {
    message:
      /radar-1: its site is 111[12] m from the scenario radar's position; set site: \{ latDeg: 45.8000000, lonDeg: 15.9700000, heightM: 125.0 \}/,
  });
});

t.test('real time over loopback UDP: tracked from CAT048 plots and intercepted', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'asterix-sim-rt-'));
  const loaded = await loadBenchConfig(benchConfig(dir));
  // The first interceptor meets the target at about 56 s of the scenario.
  const truthFile = path.join(dir, 'truth.jsonl');
  let stalls = 0;
  let hostileTrackSnapshots = 0;
  const result = await runBench({
    loaded,
    virtualTime: false,
    broker: 'none',
    durationS: 62,
    truthFile,
    log: (line) => {
      if (/io-stall:/.test(line)) stalls++;
    },
    observers: [
      {
        onSnapshot: (snapshot) => {
          if (snapshot.tracks.some((track) => track.iff === 'hostile')) hostileTrackSnapshots++;
        },
      },
    ],
  });
  const radar = result.linkCounters['radar-1'] as AsterixCounters;
  t.comment(JSON.stringify(radar));
  for (const line of readFileSync(truthFile, 'utf8').split('\n'))
    if (/"kind":"(launch|kill|closest-approach|impact)"/.test(line)) t.comment(line.slice(0, 240));
  t.equal(radar.status, 'active');
  t.ok(radar.measurements > 50, `${radar.measurements} CAT048 plots over UDP became measurements`);
  t.ok(hostileTrackSnapshots > 100, `a hostile system track from the plots (${hostileTrackSnapshots} pictures)`);
  t.equal(result.summary.friendliesEngaged, 0);
  if (stalls === 0) t.equal(result.summary.intercepted, 1, 'the ballistic target is intercepted');
  else
    // A stalled event loop makes the core fail closed (no FIRE while it lasts): on a machine
    // that loaded the intercept cannot be judged, only that nothing unsafe happened.
    t.comment(`the tick loop reported ${stalls} I/O stalls (machine load): intercept not judged`);
  t.equal(result.summary.safety.firesWhileLinkLost, 0);
  t.equal(result.summary.safety.firesWithoutAuthorization, 0);
});
