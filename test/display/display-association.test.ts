import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import t from 'tap';
import { associationDetail } from '../../src/bridge/joint-track-facts.js';
import { startEmbeddedBroker } from '../../src/bridge/embedded-broker.js';
import { buildWeb } from '../../src/display/build-web.js';
import { startDisplayServer } from '../../src/display/display-server.js';
import { CHROMIUM_SKIP, openWatchedPage } from './support/chromium.js';

// The association lines in a real browser: a fused track's node publishes, with its own track on
// `tracks`, where the fused estimate, the own track and the partner's track stood; the display
// draws a line from the fused position to each (own light blue, partner orange), and none for a
// track that was not associated.

const track = (trackId: string, eastM: number, northM: number, detail: Record<string, unknown>) => ({
  trackId,
  iff: 'hostile',
  quality: 'simulated',
  eastM,
  northM,
  upM: 3000,
  eastMps: 0,
  northMps: 0,
  upMps: 0,
  threatRank: null,
  engagementId: null,
  detail,
});

t.test(
  'the display draws a fused track association lines to its own and partner tracks',
  { skip: CHROMIUM_SKIP },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sl-display-assoc-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const assets = await buildWeb(join(dir, 'page'));
    const broker = await startEmbeddedBroker({ allowAnonymous: true, host: '127.0.0.1', port: 0, wsPort: 0 });
    t.teardown(() => broker.close());
    const display = await startDisplayServer({ port: 0, brokerUrl: broker.wsUrl, nodeId: 'node-a', assetsDir: assets });
    t.teardown(() => display.close());
    broker.allowOrigin(display.origin);

    const client = await mqtt.connectAsync(broker.url, { clientId: 'assoc-test' });
    t.teardown(() => client.endAsync());
    const publish = (topic: string, payload: unknown): Promise<unknown> =>
      client.publishAsync(topic, JSON.stringify(payload), { qos: 1, retain: true });
    await publish('shieldlink/v1/node-a/status', {
      state: 'online',
      bootId: 'b1',
      sharing: { alone: false, partners: { 'node-b': { state: 'live', tracks: 1 } } },
    });
    // Track 1 (own, at -5 km, 0): fused with node-b's track 42; the fused estimate stood between them.
    const fused = associationDetail({
      trackId: '1',
      jointId: 7,
      fusedEastM: -4000,
      fusedNorthM: 2000,
      ownEastM: -5000,
      ownNorthM: 0,
      partners: [{ nodeId: 'node-b', trackId: '42', eastM: -3000, northM: 4000 }],
    });
    await publish('shieldlink/v1/node-a/tracks', {
      hostTimeUs: 1_000_000,
      seq: 1,
      tracks: [
        track('1', -5000, 0, { origin: 'local', ...fused }),
        track('2', 6000, -6000, { origin: 'local' }), // not associated: no line
      ],
    });

    const { page, problems } = await openWatchedPage(t, { width: 1400, height: 900 });
    await page.goto(display.url);
    await page.waitForFunction(() => (window.__display?.tracks() ?? []).length === 2, undefined, { timeout: 20_000 });
    await page.waitForTimeout(2500); // let the view settle on its fit
    const pixels = await page.evaluate(() => {
      const canvas = document.getElementById('plan-canvas') as HTMLCanvasElement;
      const dpr = window.devicePixelRatio || 1;
      // The 5 × 5 device pixels around a point (a 2 px line is anti-aliased at its edges).
      const around = (e: number, n: number): number[][] => {
        const [x, y] = window.__display!.screenOf(e, n);
        const d = canvas.getContext('2d')!.getImageData(Math.round(x * dpr) - 2, Math.round(y * dpr) - 2, 5, 5).data;
        return Array.from({ length: 25 }, (_, i) => [...d.slice(i * 4, i * 4 + 4)]);
      };
      // Along each line, between its ends: the fused point (-4000, 2000) to each member.
      const along = (e0: number, n0: number, e1: number, n1: number, f: number): number[][] =>
        around(e0 + (e1 - e0) * f, n0 + (n1 - n0) * f);
      return {
        toPartner: [0.4, 0.5, 0.6].map((f) => along(-4000, 2000, -3000, 4000, f)),
        toOwn: [0.4, 0.5, 0.6].map((f) => along(-4000, 2000, -5000, 0, f)),
        // From the unassociated track 2 towards the fused point and the partner: nothing drawn.
        fromTrack2: [0.3, 0.5, 0.7].map((f) => along(6000, -6000, -4000, 2000, f)),
      };
    });
    const orange = (p: number[]): boolean => p[0]! > 180 && p[1]! > 90 && p[1]! < 190 && p[2]! < 110;
    const lightBlue = (p: number[]): boolean => p[2]! > 200 && p[1]! > 150 && p[0]! < 160;
    t.ok(
      pixels.toPartner.every((w) => w.some(orange)),
      'an orange line from the fused position to node-b track',
    );
    t.ok(
      pixels.toOwn.every((w) => w.some(lightBlue)),
      'a light blue line from the fused position to the own track',
    );
    t.notOk(
      pixels.fromTrack2.some((w) => w.some((p) => orange(p) || lightBlue(p))),
      'no line from the unassociated track',
    );
    t.match(
      (await page.locator('#legend').textContent()) ?? '',
      /association \(fused → own, partner\)/,
      'its legend entry',
    );
    const screenshot =
      process.env['SHIELDLINK_DISPLAY_SCREENSHOT_ASSOC'] ?? join(tmpdir(), 'shieldlink-display-assoc.png');
    await page.screenshot({ path: screenshot });
    t.pass(`screenshot at ${screenshot}`);
    t.same(problems, [], `no console errors: ${problems.join(' | ')}`);
  },
);
