import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { buildWeb } from '../../src/display/build-web.js';
import { CHROMIUM, CHROMIUM_ARGS, CHROMIUM_SKIP } from './support/chromium.js';

// The live display: `shieldlink run --display-port P` serves the page; headless Chromium
// shows tracks that appear and move, engagements, no console errors; a screenshot is taken.

interface PageTrack {
  trackId: string;
  iff: string;
  eastM: number;
  northM: number;
}

/** Resolve with the first stderr match of `pattern` (the run prints addresses there). */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolveLine, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${timeoutMs} ms; stderr: ${text}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = text.match(pattern);
      if (match !== null) {
        clearTimeout(timer);
        resolveLine(match);
      }
    });
    child.once('exit', (code) => reject(new Error(`run exited (${code}) early; stderr: ${text}`)));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

t.test('the display of a real-time run shows moving tracks and engagements', { skip: CHROMIUM_SKIP }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-display-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const assets = await buildWeb(join(dir, 'page'));
  // The default bench with every port free: the embedded broker's TCP and WebSocket ports too.
  // The scenario re-arms both launchers every 5 s: on a loaded machine a stalled I/O thread can
  // starve the launchers' 250 ms heartbeat watchdog, which latches them SAFE until the next ARM
  // (as it must) — the re-arms bring the engagement back, so the test can insist on seeing one.
  const scenario = (await readFile('hil-configs/scenarios/friendly-in-the-mix.yaml', 'utf8')).replace(
    /^operatorCommands:\n/m,
    'operatorCommands:\n' +
      Array.from({ length: 17 }, (_, i) => (i + 1) * 5)
        .flatMap((atS) =>
          ['launcher-1', 'launcher-2'].map(
            (id) => `  - { atS: ${atS}, command: arm, launcher: ${id}, operators: [op-a, op-b] }\n`,
          ),
        )
        .join(''),
  );
  const scenarioFile = join(dir, 'friendly-in-the-mix.yaml');
  await writeFile(scenarioFile, scenario);
  const config = (await readFile('hil-configs/sim.yaml', 'utf8'))
    .replace(/^scenario: .*$/m, `scenario: ${scenarioFile}`)
    .replace(/embedded: \{[^}]*\}/, 'embedded: { host: 127.0.0.1, port: 0, wsPort: 0 }')
    .replace(/^output: .*$/m, `output: { dir: ${join(dir, 'runs')} }`)
    // Bounds a loaded test machine holds (200 us sync and 150 ms supervision are a bench's): the
    // engagements must come whatever the load, so the test can insist on seeing them.
    .replace(/syncBoundUs: \d+/, 'syncBoundUs: 20000')
    .replace(/supervisionMs: \d+/, 'supervisionMs: 1000');
  const configFile = join(dir, 'bench.yaml');
  await writeFile(configFile, config);

  const run = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'run',
      '--config',
      configFile,
      '--real-time',
      '--duration',
      '90',
      '--display-port',
      '0',
    ],
    { env: { ...process.env, SHIELDLINK_DISPLAY_ASSETS: assets }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<number | null>((r) => run.once('exit', (code) => r(code)));
  t.teardown(async () => {
    if (run.exitCode === null) run.kill('SIGINT');
    await exited;
  });
  const url = (await waitForLine(run, /display: (http:\/\/\S+)/, 30_000))[1]!;
  await waitForLine(run, /mqtt: .*browsers: ws:/, 30_000);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  t.teardown(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1600, height: 960 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);

  const tracks = (): Promise<PageTrack[]> => page.evaluate(() => window.__display?.tracks() ?? []);
  const deadline = Date.now() + 30_000;
  let first: PageTrack[] = [];
  while (Date.now() < deadline && first.length === 0) {
    await sleep(250);
    first = await tracks();
  }
  t.ok(first.length > 0, `tracks appear (${first.length})`);
  await sleep(3000);
  const later = await tracks();
  const moved = first.filter((a) => {
    const b = later.find((x) => x.trackId === a.trackId);
    return b !== undefined && Math.hypot(b.eastM - a.eastM, b.northM - a.northM) > 50;
  });
  t.ok(moved.length > 0, `tracks move (${moved.length} of ${first.length} moved over 50 m in 3 s)`);
  t.ok(new Set(later.map((x) => x.iff)).size >= 2, 'tracks of more than one IFF class');

  let engagements: { engagementId: string; state: string }[] = [];
  while (Date.now() < deadline + 50_000 && engagements.length === 0) {
    await sleep(500);
    engagements = await page.evaluate(() => window.__display?.engagements() ?? []);
  }
  t.ok(
    engagements.length > 0,
    `engagements show (${engagements.map((e) => `${e.engagementId}:${e.state}`).join(' ')})`,
  );
  await page.waitForFunction(() => document.querySelectorAll('#engagements tbody tr').length > 0, undefined, {
    timeout: 5000,
  });
  // The run's own display verifies the run's ledger line by line as it is written (never late).
  await page.waitForFunction(
    () =>
      /^VERIFIED \d+ entries/.test(document.querySelector('#ledger .ledger-verdict')?.textContent ?? '') &&
      document.querySelectorAll('#ledger .ledger-eng').length > 0,
    undefined,
    { timeout: 20_000 },
  );
  const status = await page.evaluate(() => ({
    wcs: document.querySelector('#wcs b')?.textContent,
    devices: document.querySelectorAll('#devices .device').length,
    connection: window.__display?.connection,
    statusSignature: window.__display?.state.statusSignature,
    untrusted: window.__display?.state.untrustedMessages,
    unverifiedTags: document.querySelectorAll('.tag.unverified').length,
  }));
  t.equal(status.connection, 'connected', 'logged in to the authenticated broker from the allowed origin');
  t.equal(status.statusSignature, 'verified', "the node's status checked against its key in the browser");
  t.equal(status.untrusted, 0);
  t.equal(status.unverifiedTags, 0, 'every device state verified');
  t.match(status.wcs, /^(HOLD|TIGHT|FREE)$/, 'weapons control status shown');
  t.equal(status.devices, 3, 'every device of the scenario listed (radar-1, launcher-1, launcher-2)');
  const readiness = await page.evaluate(() =>
    [...document.querySelectorAll('#devices .device .readiness, #devices .device .notready')].map((e) => e.textContent),
  );
  t.equal(readiness.length, 2, `each launcher says whether it is ready, and why not (${readiness.join(' | ')})`);
  t.ok(readiness.every((r) => /^(ready to fire|not ready: .+)$/.test(r ?? '')));
  await sleep(2000);
  const screenshot = process.env['SHIELDLINK_DISPLAY_SCREENSHOT'] ?? join(tmpdir(), 'shieldlink-display.png');
  await page.screenshot({ path: screenshot });
  t.ok(existsSync(screenshot), `screenshot at ${screenshot}`);
  t.same(problems, [], `no console errors: ${problems.join(' | ')}`);
});
