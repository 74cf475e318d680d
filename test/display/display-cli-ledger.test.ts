import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import t from 'tap';
import { buildWeb } from '../../src/display/build-web.js';
import type { LedgerWatchSnapshot } from '../../src/display/ledger-watch.js';
import { freePort, Mosquitto } from '../bridge/support/mosquitto.js';
import { skipUnlessTools } from '../support/require-tool.js';

// `shieldlink display --broker ws://… --node-key PUB.json` follows the node's ledger feed over
// the broker's WebSocket listener (a real Mosquitto) and serves what it verified as /ledger.json.
const skip = skipUnlessTools('mosquitto');

t.test('shieldlink display follows and verifies the ledger feed', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-display-cli-ledger-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const assets = await buildWeb(join(dir, 'page'));
  const wsPort = await freePort();
  const broker = await Mosquitto.start(dir, { listenerLines: [`listener ${wsPort} 127.0.0.1`, 'protocol websockets'] });
  t.teardown(() => broker.stop());
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'display',
      '--broker',
      `ws://127.0.0.1:${wsPort}/mqtt`,
      '--port',
      '0',
      '--node-key',
      'test/ledger/fixtures/forced-non-threat.node.pub.json',
    ],
    { env: { ...process.env, SHIELDLINK_DISPLAY_ASSETS: assets }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  t.teardown(async () => {
    if (child.exitCode === null) child.kill('SIGINT');
    await exited;
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 600 && !/display: http/.test(stderr); i++) await new Promise((r) => setTimeout(r, 50));
  const url = /display: (http:\/\/\S+)/.exec(stderr)?.[1];
  t.ok(url, `serves the page: ${stderr}`);
  const snapshot = async (): Promise<LedgerWatchSnapshot> =>
    (await (await fetch(new URL('/ledger.json', url))).json()) as LedgerWatchSnapshot;
  for (let i = 0; i < 400 && (await snapshot()).source.includes('('); i++) await new Promise((r) => setTimeout(r, 50));
  t.match((await snapshot()).source, /^shieldlink\/v1\/sim-1\/shared\/ledger on ws:/, 'subscribed to the feed');

  const lines = (await readFile('test/ledger/fixtures/forced-non-threat.ledger', 'utf8')).split('\n').filter(Boolean);
  const client = await mqtt.connectAsync(broker.url);
  for (const line of lines) await client.publishAsync('shieldlink/v1/sim-1/shared/ledger', line, { qos: 1 });
  await client.endAsync();
  let s = await snapshot();
  for (let i = 0; i < 200 && !s.closed; i++) {
    await new Promise((r) => setTimeout(r, 50));
    s = await snapshot();
  }
  const last = JSON.parse(lines.at(-1)!) as { size: number; root: string };
  t.equal(s.closed, true, 'followed to the final head');
  t.match(s.head, { size: last.size, root: last.root, verified: true });
  t.equal(s.problemCount, 0);
  t.ok(
    s.findings.some((f) => f.rule === 'target-not-engageable-iff'),
    'the FIRE at a non-threat is found',
  );
  child.kill('SIGINT');
  t.equal(await exited, 0, 'Ctrl-C stops it with 0');
});
