import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { startEmbeddedBroker } from '../../src/bridge/embedded-broker.js';
import { buildWeb } from '../../src/display/build-web.js';
import { startDisplayServer } from '../../src/display/display-server.js';
import type { OperatorPublicKey } from '../../src/bridge/operator-public-key.js';
import { startTestBridge } from '../bridge/support/bridge-scenario.js';
import { KEYS } from '../bridge/support/command-harness.js';
import { deviceState } from '../bridge/support/fake-source.js';
import { CHROMIUM, CHROMIUM_ARGS, CHROMIUM_SKIP } from './support/chromium.js';

// The display against a bridge fed by a fake source (deterministic, seconds): moving tracks,
// an interceptor in flight, the weapons control status, and signed commands from the browser —
// one-operator HOLD, and two-operator FREE co-signed after loading the second key.
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

t.test('the display draws a fake node and signs commands with a loaded key', { skip: CHROMIUM_SKIP }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-display-fake-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const assets = await buildWeb(join(dir, 'page'));
  const broker = await startEmbeddedBroker({ allowAnonymous: true, host: '127.0.0.1', port: 0, wsPort: 0 });
  t.teardown(() => broker.close());
  const { bridge, source, executor, clock } = await startTestBridge(broker.url, dir);
  t.teardown(() => bridge.stop());
  await bridge.whenConnected();
  const display = await startDisplayServer({
    port: 0,
    brokerUrl: broker.wsUrl,
    nodeId: null,
    assetsDir: assets,
    layout: {
      v: 1,
      scenario: 'fake',
      radars: [{ id: 'radar-1', position: { eastM: 0, northM: 0, upM: 10 }, maxRangeM: 80_000 }],
      launchers: [
        {
          id: 'launcher-1',
          position: { eastM: 2000, northM: 1000, upM: 0 },
          rounds: 8,
          envelope: { minRangeM: 2000, maxRangeM: 30_000, maxAltitudeM: 20_000 },
          speedMps: 1500,
        },
      ],
    },
  });
  t.teardown(() => display.close());
  // The broker takes browsers of the display's own origin only.
  broker.allowOrigin(display.origin);

  // The fake node: three tracks flying west, an engagement planned, then launched for 8 s.
  const sink = source.sink!;
  const startUs = clock.nowUs();
  const aim = { aimEastM: 15_000, aimNorthM: 6000, aimUpM: 3000 };
  const event = (seq: number, transition: string, state: string, detail: Record<string, unknown>) =>
    sink.engagement({
      engagementId: '1',
      trackId: '2',
      launcherId: 'launcher-1',
      transition,
      state,
      reason: null,
      commandId: state === 'planned' ? null : '901',
      sourceSeq: seq,
      hostTimeUs: clock.nowUs(),
      detail: { ...aim, ...detail },
    });
  // Engagement events are not retained: the timeline starts once the page listens.
  let pageListening = false;
  let launched = false;
  const feed = setInterval(() => {
    const nowUs = clock.nowUs();
    const s = (nowUs - startUs) / 1e6;
    sink.tracks({
      hostTimeUs: nowUs,
      tracks: [
        { id: '1', iff: 'friendly', e: -20_000, n: 25_000, ve: 0, vn: -120 },
        { id: '2', iff: 'hostile', e: 40_000, n: 10_000, ve: -600, vn: -100 },
        { id: '3', iff: 'unknown', e: -30_000, n: -15_000, ve: 200, vn: 80 },
      ].map((x) => ({
        trackId: x.id,
        iff: x.iff,
        quality: 'good' as const,
        eastM: x.e + x.ve * s,
        northM: x.n + x.vn * s,
        upM: 3000,
        eastMps: x.ve,
        northMps: x.vn,
        upMps: 0,
        estimateTimeUs: nowUs,
        threatRank: x.iff === 'hostile' ? 0 : null,
        engagementId: x.id === '2' ? '1' : null,
      })),
    });
    sink.deviceState(deviceState('radar-1', nowUs));
    sink.deviceState(
      deviceState('launcher-1', nowUs, {
        state: 'armed',
        detail: {
          ready: false,
          notReady: 'time-sync-out-of-bound',
          syncUncertaintyUs: 4100.4,
          syncBudgetUs: 3333.3,
        },
      }),
    );
    sink.metrics({
      loop: { weaponsControlStatus: 1, tickLatenessP99Us: 20 + Math.round(5 * Math.sin(s)), overruns: 0 },
      links: {},
    });
    if (!launched && pageListening) {
      launched = true;
      event(1, 'planned', 'planned', { launchAtHostUs: nowUs, interceptAtHostUs: nowUs + 8e6 });
      event(2, 'fire-sent', 'fire-sent', { launchAtHostUs: nowUs, interceptAtHostUs: nowUs + 8e6 });
      event(3, 'launched', 'launched', {
        launchAtHostUs: nowUs,
        interceptAtHostUs: nowUs + 8e6,
        actualLaunchHostUs: nowUs,
      });
    }
  }, 100);
  t.teardown(() => clearInterval(feed));

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  t.teardown(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 960 } })).newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(display.url);

  await page.waitForFunction(() => (window.__display?.tracks().length ?? 0) === 3, undefined, { timeout: 15_000 });
  const before = await page.evaluate(() => window.__display!.tracks());
  pageListening = true;
  await sleep(1500);
  const after = await page.evaluate(() => window.__display!.tracks());
  const hostileMoved = (id: string): number => {
    const a = before.find((x) => x.trackId === id)!;
    const b = after.find((x) => x.trackId === id)!;
    return Math.hypot(b.eastM - a.eastM, b.northM - a.northM);
  };
  t.ok(hostileMoved('2') > 300, `the hostile track moves (${hostileMoved('2').toFixed(0)} m in 1.5 s)`);
  await page
    .waitForFunction(
      () => {
        const d = window.__display!;
        const now = d.state.nodeNowUs(performance.now());
        return now !== null && d.state.interceptorsInFlight(now).length === 1;
      },
      undefined,
      { timeout: 10_000 },
    )
    .catch(async (error: Error) => {
      const dump = await page.evaluate(() =>
        JSON.stringify({
          now: window.__display!.state.nodeNowUs(performance.now()),
          e: [...window.__display!.state.engagements.values()],
        }),
      );
      throw new Error(`${error.message}: ${dump}`);
    });
  t.pass('an interceptor is in flight');
  t.equal(await page.textContent('#wcs b'), 'TIGHT', 'weapons control status from metrics');
  t.match(await page.textContent('#engagements tbody'), /launched/, 'the engagement list shows it launched');
  t.equal(await page.locator('#devices .device').count(), 2, 'device health rows');
  t.equal(
    await page.textContent('#devices .device .notready'),
    'not ready: time-sync-out-of-bound (±4100 us > 3333 us)',
    'why the launcher is not ready, with both figures',
  );

  // Read-only until a key is loaded.
  t.ok(await page.isDisabled('#wcs-hold'), 'commands disabled without a key');
  // The operators' Ed25519 private key files (the bridge's keyring holds their public halves);
  // the browser signs with WebCrypto Ed25519 and the node verifies.
  const keyFile = (name: 'alice' | 'bob') => {
    const file = join(dir, `${name}.key.json`);
    return writeFile(file, KEYS[name].toKeyFileText(), { mode: 0o600 }).then(() => file);
  };
  // A public key file cannot sign: the page says so and stays read-only.
  const pubFile = join(dir, 'alice.pub.json');
  await writeFile(pubFile, (KEYS.alice.public as OperatorPublicKey).toPublicFileText());
  await page.setInputFiles('#key-file', pubFile);
  await page.waitForFunction(() =>
    /public key cannot sign/.test(document.getElementById('operator-note')!.textContent!),
  );
  t.ok(await page.isDisabled('#wcs-hold'), 'still read-only after loading a public key');
  await page.setInputFiles('#key-file', await keyFile('alice'));
  await page.waitForFunction(() => !(document.getElementById('wcs-hold') as HTMLButtonElement).disabled);
  await page.click('#wcs-hold');
  await page.waitForSelector('#results .result .tag.completed', { timeout: 10_000 });
  t.equal(executor.executed.length, 1, 'the node executed the signed command');
  t.match(executor.executed[0], { verb: 'set-weapons-control', args: { status: 'hold' } });
  t.match(executor.executed[0], { keyIds: ['alice-1'] }, "signed in the browser with alice's Ed25519 key");

  // FREE needs two operators: pending, then bob co-signs the same id.
  await page.click('#wcs-free');
  await page.waitForSelector('#results .result .tag.pending', { timeout: 10_000 });
  await page.setInputFiles('#key-file', await keyFile('bob'));
  await page.click('#results button:has-text("co-sign as bob")');
  await page.waitForFunction(
    () => document.querySelectorAll('#results .result .tag.completed').length === 2,
    undefined,
    { timeout: 10_000 },
  );
  t.equal(executor.executed.length, 2, 'FREE executed after the second operator');
  t.match(executor.executed[1], { verb: 'set-weapons-control', args: { status: 'free' } });

  // Select the hostile on the plan view and engage it.
  const [x, y] = await page.evaluate(() => {
    const t2 = window.__display!.state.tracks.get('2')!;
    return window.__display!.screenOf(t2.eastM, t2.northM);
  });
  const box = (await page.locator('#plan-canvas').boundingBox())!;
  await page.mouse.click(box.x + x, box.y + y);
  t.equal(await page.textContent('#selected-track'), '2', 'clicking a track selects it');
  await page.click('#cmd-engage');
  await page.waitForFunction(() => document.querySelectorAll('#results .result .tag.completed').length === 3);
  t.match(executor.executed[2], { verb: 'engage-track', args: { trackId: '2' } });

  const screenshot = process.env['SHIELDLINK_DISPLAY_SCREENSHOT_FAKE'] ?? join(tmpdir(), 'shieldlink-display-fake.png');
  await page.screenshot({ path: screenshot });
  t.pass(`screenshot at ${screenshot}`);
  t.same(problems, [], `no console errors: ${problems.join(' | ')}`);
});
