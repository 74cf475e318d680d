import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { startEmbeddedBroker } from '../../src/bridge/embedded-broker.js';
import type { ThreatPicture } from '../../src/bridge/threat-publisher.js';
import { buildWeb } from '../../src/display/build-web.js';
import { startDisplayServer } from '../../src/display/display-server.js';
import { startTestBridge } from '../bridge/support/bridge-scenario.js';
import { deviceState } from '../bridge/support/fake-source.js';
import { CHROMIUM, CHROMIUM_ARGS, CHROMIUM_SKIP } from './support/chromium.js';

// The plan view's threat layer in a real browser: a bridge fed by a fake source publishes a
// threat picture (a circle asset with a keep-out zone, a polygon asset, two IPP ellipses); the
// page must draw each where it belongs, in its colour, and nothing where there is none.

t.test('the display draws defended assets, keep-out zones and IPP ellipses', { skip: CHROMIUM_SKIP }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-display-threats-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const assets = await buildWeb(join(dir, 'page'));
  const broker = await startEmbeddedBroker({ allowAnonymous: true, host: '127.0.0.1', port: 0, wsPort: 0 });
  t.teardown(() => broker.close());
  const { bridge, source, clock } = await startTestBridge(broker.url, dir);
  t.teardown(() => bridge.stop());
  await bridge.whenConnected();
  const display = await startDisplayServer({
    port: 0,
    brokerUrl: broker.wsUrl,
    nodeId: null,
    assetsDir: assets,
    layout: {
      v: 1,
      scenario: 'threats',
      radars: [{ id: 'radar-1', position: { eastM: 0, northM: 0, upM: 10 }, maxRangeM: 80_000 }],
      launchers: [
        {
          id: 'launcher-1',
          position: { eastM: 0, northM: 0, upM: 0 },
          rounds: 8,
          envelope: { minRangeM: 1000, maxRangeM: 30_000, maxAltitudeM: 20_000 },
          speedMps: 1500,
        },
      ],
    },
  });
  t.teardown(() => display.close());
  broker.allowOrigin(display.origin);

  const sink = source.sink!;
  const picture = (nowUs: number): ThreatPicture => ({
    hostTimeUs: nowUs,
    assets: [
      {
        assetId: 'city',
        value: 10,
        minAltitudeM: 0,
        maxAltitudeM: 1000,
        area: { kind: 'circle', eastM: -15_000, northM: 15_000, radiusM: 4000 },
        keepOut: [{ kind: 'circle', eastM: -15_000, northM: 5_000, radiusM: 2500 }],
      },
      {
        assetId: 'port',
        value: 3,
        minAltitudeM: 0,
        maxAltitudeM: 500,
        area: {
          kind: 'polygon',
          vertices: [
            { eastM: 10_000, northM: -20_000 },
            { eastM: 20_000, northM: -20_000 },
            { eastM: 20_000, northM: -12_000 },
            { eastM: 10_000, northM: -12_000 },
          ],
        },
        keepOut: [],
      },
    ],
    threats: [
      {
        trackId: '7',
        iff: 'hostile',
        kind: 'impact',
        ippEastM: -14_000,
        ippNorthM: 14_000,
        // σ east 1500 m, north 600 m: a 95 % ellipse 3.7 km × 1.5 km, long east-west.
        ippVarEastM2: 1500 ** 2,
        ippCovM2: 0,
        ippVarNorthM2: 600 ** 2,
        impactAtHostUs: nowUs + 42e6,
        threatValue: 9,
        assets: [{ assetId: 'city', probability: 0.9, value: 10 }],
        assignment: { engagementId: '3', launcherId: 'launcher-1', state: 'launched', interceptAtHostUs: nowUs + 20e6 },
      },
      {
        trackId: '8',
        iff: 'unknown',
        kind: 'impact',
        ippEastM: 22_000,
        ippNorthM: 20_000,
        ippVarEastM2: 800 ** 2,
        ippCovM2: 0,
        ippVarNorthM2: 800 ** 2,
        impactAtHostUs: nowUs + 60e6,
        threatValue: 0,
        assets: [],
        assignment: null,
      },
    ],
  });
  const feed = setInterval(() => {
    const nowUs = clock.nowUs();
    sink.tracks({ hostTimeUs: nowUs, tracks: [] });
    sink.threats?.(picture(nowUs));
    sink.deviceState(deviceState('radar-1', nowUs));
  }, 100);
  t.teardown(() => clearInterval(feed));

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  t.teardown(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(display.url);
  await page.waitForFunction(() => (window.__display?.threats.threats.length ?? 0) === 2, undefined, {
    timeout: 20_000,
  });
  const layer = await page.evaluate(() => ({
    assets: window.__display!.threats.assets.map((a) => ({
      id: a.assetId,
      kind: a.area.kind,
      keepOut: a.keepOut.length,
    })),
    threats: window.__display!.threats.threats.map((x) => ({
      id: x.trackId,
      a: x.semiMajorM,
      b: x.semiMinorM,
      bearing: x.majorAxisBearingDeg,
      launcher: x.launcherId,
      top: x.topAssetId,
    })),
  }));
  t.same(layer.assets, [
    { id: 'city', kind: 'circle', keepOut: 1 },
    { id: 'port', kind: 'polygon', keepOut: 0 },
  ]);
  t.equal(layer.threats[0]!.id, '7', 'most valuable first');
  t.ok(Math.abs(layer.threats[0]!.a - 1500 * 2.4477) < 1, `95 % semi-major ${layer.threats[0]!.a}`);
  t.ok(Math.abs(layer.threats[0]!.bearing - 90) < 1e-6, 'long east-west');
  t.equal(layer.threats[0]!.launcher, 'launcher-1');
  t.equal(layer.threats[0]!.top, 'city');
  t.equal(layer.threats[1]!.launcher, null);

  // Let the view settle on its fit, then read pixels where things are (and are not) drawn.
  await page.waitForTimeout(2500);
  const pixels = await page.evaluate(() => {
    const canvas = document.getElementById('plan-canvas') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d')!;
    const dpr = window.devicePixelRatio || 1;
    const at = (e: number, n: number): number[] => {
      const [x, y] = window.__display!.screenOf(e, n);
      return [...ctx.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data];
    };
    return {
      // Inside the hostile's ellipse, east of its centre (3 km: inside a 3.7 km semi-major, outside the label).
      ellipseEast: at(-11_500, 14_000),
      // North of the ellipse (1.5 km semi-minor) but inside the city circle: asset green only.
      cityOnly: at(-15_000, 17_800),
      keepOut: at(-15_000, 4_000),
      port: at(15_000, -16_000),
      unknownEllipse: at(22_000, 20_000),
      empty: at(0, -25_000),
    };
  });
  const [r0, g0, b0] = pixels.empty;
  const differs = (p: number[]): boolean => Math.abs(p[0]! - r0!) + Math.abs(p[1]! - g0!) + Math.abs(p[2]! - b0!) > 12;
  t.ok(pixels.ellipseEast[0]! > pixels.ellipseEast[2]! + 20, `hostile ellipse is red: ${pixels.ellipseEast.join(',')}`);
  t.ok(
    differs(pixels.cityOnly) && pixels.cityOnly[1]! > pixels.cityOnly[0]!,
    `city is green: ${pixels.cityOnly.join(',')}`,
  );
  t.ok(
    differs(pixels.keepOut) && pixels.keepOut[0]! > pixels.keepOut[1]!,
    `keep-out is red: ${pixels.keepOut.join(',')}`,
  );
  t.ok(differs(pixels.port) && pixels.port[1]! > pixels.port[0]!, `polygon asset is green: ${pixels.port.join(',')}`);
  t.ok(
    differs(pixels.unknownEllipse) && pixels.unknownEllipse[0]! > pixels.unknownEllipse[2]!,
    `unknown ellipse is yellow: ${pixels.unknownEllipse.join(',')}`,
  );
  t.notOk(differs(pixels.ellipseEast) === false, 'the ellipse changed the background');

  const screenshot =
    process.env['SHIELDLINK_DISPLAY_SCREENSHOT_THREATS'] ?? join(tmpdir(), 'shieldlink-display-threats.png');
  await page.screenshot({ path: screenshot });
  t.pass(`screenshot at ${screenshot}`);
  t.same(problems, [], `no console errors: ${problems.join(' | ')}`);
});
