import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { main } from '../../src/cli/main.js';
import { FrameReader } from '../../src/protocol/frame-reader.js';
import type { Message } from '../../src/protocol/message-types.js';
import { RealClock } from '../../src/time/real-clock.js';
import { type Transport, createTransport } from '../../src/transport/index.js';
import { skipUnlessTools } from '../support/require-tool.js';

const SCENARIO = `
name: cli-test
seed: 3
durationS: 1.5
targets:
  - { id: t1, kind: constant-velocity, iff: hostile, position: { eastM: 20000, northM: 0, upM: 3000 }, velocity: { eastMps: -200, northMps: 0, upMps: 0 } }
radars:
  - { id: radar-1, position: { eastM: 0, northM: 0, upM: 0 }, scanPeriodMs: 200, maxRangeM: 50000,
      rangeSigmaM: 1, angleSigmaDeg: 0.01, detectionProbability: 1 }
launchers:
  - { id: launcher-1, position: { eastM: 0, northM: 0, upM: 0 }, rounds: 2, slewRateDegPerS: 90, launchDelayMs: 100,
      speedMps: 1000, lethalRadiusM: 10, maxFlightTimeS: 40,
      envelope: { minRangeM: 500, maxRangeM: 30000, maxAltitudeM: 20000 } }
`;

function io(): {
  io: Parameters<typeof main>[1];
  lines: string[];
  err: () => string;
  firstLines: (n: number) => Promise<string[]>;
} {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const lines: string[] = [];
  let buffer = '';
  let err = '';
  const waiters: (() => void)[] = [];
  stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      lines.push(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
    for (const w of waiters.splice(0)) w();
  });
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    io: { stdout, stderr, stdin: new PassThrough(), isTty: false },
    lines,
    err: () => err,
    firstLines: (n) =>
      new Promise((resolve) => {
        const check = (): void => (lines.length >= n ? resolve(lines.slice(0, n)) : void waiters.push(check));
        check();
      }),
  };
}

async function listen(transport: Transport): Promise<Message[]> {
  const messages: Message[] = [];
  const reader = new FrameReader({ receiving: 'device-to-host', onMessage: (m) => messages.push(m) });
  transport.on('data', (chunk) => reader.push(chunk));
  await transport.open();
  return messages;
}

t.test(
  'shieldlink sim: ready lines, devices talk over TCP and a PTY, clean end with totals',
  { skip: skipUnlessTools('socat') },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'shieldlink-sim-'));
    const file = join(dir, 'scenario.yaml');
    const truthFile = join(dir, 'truth.jsonl');
    writeFileSync(file, SCENARIO);
    const out = io();
    const exit = main(
      ['sim', '--scenario', file, '--link', 'launcher-1=tcp:0', '--truth', truthFile, '--json'],
      out.io,
    );
    const ready = (await out.firstLines(2)).map((l) => JSON.parse(l) as { device: string; link: string });
    t.equal(ready[0]!.device, 'radar-1');
    t.match(ready[0]!.link, /^serial:\/dev\/pts\/\d+$/);
    t.equal(ready[1]!.device, 'launcher-1');
    t.match(ready[1]!.link, /^tcp:\/\/127\.0\.0\.1:\d+$/);
    const clock = new RealClock();
    const radar = createTransport(ready[0]!.link, { clock });
    const launcher = createTransport(ready[1]!.link, { clock });
    const fromRadar = await listen(radar);
    const fromLauncher = await listen(launcher);
    t.equal(await exit, 0);
    t.ok(
      fromRadar.some((m) => m.type === 'HEARTBEAT'),
      'radar heartbeats over the PTY',
    );
    t.ok(
      fromRadar.some((m) => m.type === 'TRACK_REPORT'),
      'and track reports',
    );
    t.ok(
      fromLauncher.some((m) => m.type === 'LAUNCHER_STATUS'),
      'launcher status over TCP',
    );
    const end = JSON.parse(out.lines[out.lines.length - 1]!) as Record<string, unknown>;
    t.match(end, { event: 'end', signal: null, hostiles: 1, launches: 0 });
    const truth = readFileSync(truthFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string });
    t.equal(truth[0]!.kind, 'run-start');
    t.equal(truth[truth.length - 1]!.kind, 'run-end');
    await radar.close();
    await launcher.close();
  },
);

t.test('shieldlink sim: usage errors exit 2 before anything starts', async (t) => {
  const out = io();
  t.equal(await main(['sim'], out.io), 2);
  t.match(out.err(), /--scenario FILE is required/);
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-sim-'));
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, SCENARIO.replace('speedMps: 1000', 'speedMps: -1'));
  const bad = io();
  t.equal(await main(['sim', '--scenario', file], bad.io), 2);
  t.match(bad.err(), /launchers\[0\]\.speedMps: expected a positive number/);
  writeFileSync(file, SCENARIO);
  const unknown = io();
  t.equal(await main(['sim', '--scenario', file, '--link', 'radar-9=tcp:0'], unknown.io), 2);
  t.match(unknown.err(), /no such device/);
  const help = io();
  t.equal(await main(['sim', '--help'], help.io), 0);
  t.match(help.lines.join('\n'), /--link DEVICE=SPEC/);
});
