/**
 * `shieldlink sim --asterix`: the simulator process sends a scenario radar as ASTERIX over UDP —
 * one datagram per scan, a CAT034 north marker then CAT048 reports with the given SAC/SIC — and
 * prints its ready line with the UDP URL; the other devices keep their links. Bad options are
 * usage errors (exit 2).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';
import t from 'tap';
import { AsterixDecoder, type AsterixRecord } from '../../src/asterix/index.js';

const SCENARIO = 'hil-configs/scenarios/single-ballistic.yaml';
const CLI = ['--import', 'tsx', 'src/cli/main.ts', 'sim', '--scenario', SCENARIO];

t.test('scans arrive over UDP as CAT034 + CAT048 with the SAC/SIC given', { timeout: 60_000 }, async (t) => {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const port = socket.address().port;
  const records: AsterixRecord[] = [];
  let datagrams = 0;
  const decoder = new AsterixDecoder();
  const enough = new Promise<void>((resolve) => {
    socket.on('message', (message) => {
      datagrams++;
      decoder.decode(message, {
        record: (r) => void records.push(r),
        error: (error) => t.fail(`malformed block: ${error.detail}`),
      });
      if (records.some((r) => r.category === 48) && datagrams >= 3) resolve();
    });
  });
  const child = spawn(
    process.execPath,
    [
      ...CLI,
      '--link',
      'launcher-1=tcp:0',
      '--asterix',
      `radar-1=udp://0.0.0.0:${port}?site=45.8,15.97,125&sac=25&sic=13`,
      '--bench-site',
      '45.8,15.97,110',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const ready: Record<string, string> = {};
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const parsed = JSON.parse(line) as { device: string; link: string };
    ready[parsed.device] = parsed.link;
  });
  // The target rises at 8 s of the scenario; CAT048 plots follow within a few scans.
  await enough;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  socket.close();
  t.match(ready['radar-1'], new RegExp(`^udp://0\\.0\\.0\\.0:${port}`), 'the radar ready line is its UDP URL');
  t.match(ready['launcher-1'], /^tcp:\/\/127\.0\.0\.1:\d+$/, 'the launcher keeps its own link');
  const cat034 = records.filter((r) => r.category === 34);
  const cat048 = records.filter((r) => r.category === 48);
  t.ok(cat034.length >= datagrams, `a north marker in every datagram (${cat034.length} in ${datagrams})`);
  t.ok(cat048.length > 0, `${cat048.length} CAT048 reports`);
  for (const r of [...cat034, ...cat048]) t.same(r.items.get('010'), { SAC: 25, SIC: 13 });
});

t.test('bad --asterix options are usage errors', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--asterix', 'radar-1=udp://127.0.0.1:0?site=1,2,3'], /needs a port/],
    [['--asterix', 'radar-9=udp://127.0.0.1:4000?site=1,2,3'], /no such radar/],
    [['--asterix', 'radar-1=udp://127.0.0.1:4000'], /site=LAT,LON,H is required/],
    [['--asterix', 'radar-1=udp://127.0.0.1:4000?site=1,2,3&sac=300'], /sac must be 0-255/],
    [['--asterix', 'radar-1=udp://127.0.0.1:4000?site=1,2,3', '--bench-site', '1,2'], /LAT,LON,HEIGHT/],
  ];
  for (const [args, message] of cases) {
    const run = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
    t.equal(run.status, 2, args.join(' '));
    t.match(run.stderr, message);
  }
});
