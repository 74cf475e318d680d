/**
 * A hardware bench (real time) whose only radar speaks ASTERIX over loopback UDP: `shieldlink
 * run`'s composition binds the radar's socket, CAT048 reports of a moving target reach the
 * control core as track measurements, and the run's link counters show the radar active.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { cat034NorthMarker, cat048ReportOf } from '../../firmware-sim/asterix/cat048-report.js';
import { encodeBlock } from '../../src/asterix/index.js';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { LocalFrame } from '../../src/geo/index.js';

const BENCH_SITE = { latDeg: 45.8, lonDeg: 15.97, heightM: 110 };
const RADAR_SITE = { latDeg: 45.9, lonDeg: 16.1, heightM: 250 };

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

t.test(
  'a hardware bench with one ASTERIX radar over loopback UDP feeds the control core',
  { timeout: 120_000 },
  async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'asterix-bench-'));
    const port = await freeUdpPort();
    const configFile = path.join(dir, 'bench.yaml');
    writeFileSync(
      configFile,
      [
        'node: { id: asterix-bench }',
        `scenario: ${path.resolve('hil-configs/scenarios/single-ballistic.yaml')}`,
        `site: { latDeg: ${BENCH_SITE.latDeg}, lonDeg: ${BENCH_SITE.lonDeg}, heightM: ${BENCH_SITE.heightM} }`,
        'devices:',
        '  asterixRadars:',
        '    - id: asterix-1',
        '      protocol: asterix-cat048',
        `      link: udp://127.0.0.1:${port}`,
        `      site: { latDeg: ${RADAR_SITE.latDeg}, lonDeg: ${RADAR_SITE.lonDeg}, heightM: ${RADAR_SITE.heightM} }`,
        '      sac: 25',
        '      sic: 13',
        '      accuracy: { rangeSigmaM: 30, azimuthSigmaDeg: 0.05, velocitySigmaMps: 5 }',
        '      acceptSimulated: true',
        '  launchers:',
        '    - id: launcher-1',
        `      link: tcp://127.0.0.1:${port}`, // nobody listens on TCP there: the launcher stays unreachable and SAFE
        '      model:',
        '        position: { eastM: 0, northM: 0, upM: 0 }',
        '        flyout: { launchDelayMs: 250, speedMps: 1500 }',
        '        envelope: { minRangeM: 2000, maxRangeM: 40000, maxAltitudeM: 25000 }',
        '        slewRateDegPerS: 90',
        'broker: { disabled: true }',
        `output: { dir: ${dir} }`,
      ].join('\n'),
    );
    const loaded = await loadBenchConfig(configFile);
    const bench = new LocalFrame(BENCH_SITE);
    const radar = new LocalFrame(RADAR_SITE);
    const sender = createSocket('udp4');
    t.teardown(() => sender.close());
    let k = 0;
    const startMs = Date.now();
    const timer = setInterval(() => {
      const tod = (((Date.now() / 1000) % 86_400) + 86_400) % 86_400;
      const target = {
        trackNumber: 42,
        eastM: 30_000 - k * 25,
        northM: 20_000,
        upM: 8_000,
        eastMps: -250,
        northMps: 0,
      };
      k++;
      sender.send(encodeBlock(34, [cat034NorthMarker({ sac: 25, sic: 13 }, tod, 1)]), port, '127.0.0.1');
      sender.send(
        encodeBlock(48, [cat048ReportOf(target, bench, radar, { sac: 25, sic: 13 }, tod)]),
        port,
        '127.0.0.1',
      );
    }, 100);
    t.teardown(() => clearInterval(timer));
    const result = await runBench({ loaded, virtualTime: false, durationS: 3, broker: 'none' });
    clearInterval(timer);
    const counters = result.linkCounters['asterix-1'] as {
      status: string;
      measurements: number;
      serviceMessages: number;
    };
    t.comment(`after ${((Date.now() - startMs) / 1000).toFixed(1)} s: ${JSON.stringify(counters)}`);
    t.equal(counters.status, 'active');
    t.ok(counters.measurements >= 10, `${counters.measurements} CAT048 measurements reached the core`);
    t.ok(
      result.controlConfig.radars.some((r) => r.id === 'asterix-1'),
      'the radar is one of the control core radars',
    );
  },
);
