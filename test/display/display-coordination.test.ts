import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startEmbeddedBroker } from '../../src/bridge/embedded-broker.js';
import { OperatorKeyring } from '../../src/bridge/operator-keyring.js';
import { PartnerTopicChannel } from '../../src/bridge/partner-topics.js';
import type { CoordinationStatusPayload } from '../../src/bridge/schemas/status-payload.js';
import { ShieldlinkBridge } from '../../src/bridge/shieldlink-bridge.js';
import { buildWeb } from '../../src/display/build-web.js';
import { startDisplayServer } from '../../src/display/display-server.js';
import { RealClock, wallClockMs } from '../../src/time/real-clock.js';
import { KEYS } from '../bridge/support/command-harness.js';
import { FakeSource } from '../bridge/support/fake-source.js';
import { RecordingExecutor } from '../bridge/support/recording-executor.js';
import { CHROMIUM_SKIP, openWatchedPage } from './support/chromium.js';

// "Coordination lost" on the display, in a real browser: a bridge whose engagement-intent channel
// reports coordination re-publishes its status on each change, and the page's header badge turns
// from `coordinated` to `COORDINATION LOST` (with the partner and since when) and back.

const status = (state: 'coordinated' | 'coordination-lost', since: string): CoordinationStatusPayload => ({
  state,
  partners: { 'node-a': { state, since, claims: 1 } },
  holds: state === 'coordinated' ? 1 : 0,
  duplicateEngagements: { linked: 0, lost: 0 },
});

t.test('the display shows coordination lost and regained', { skip: CHROMIUM_SKIP }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-display-coord-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const assets = await buildWeb(join(dir, 'page'));
  const broker = await startEmbeddedBroker({ allowAnonymous: true, host: '127.0.0.1', port: 0, wsPort: 0 });
  t.teardown(() => broker.close());
  const channel = new PartnerTopicChannel(['shieldlink/v1/node-a/shared/engagements']);
  const bridge = new ShieldlinkBridge({
    nodeId: 'node-b',
    broker: { url: broker.url, protocol: 'auto', backoff: { initialMs: 50, maxMs: 300 } },
    spoolFile: join(dir, 'bridge.spool'),
    keyring: new OperatorKeyring([KEYS.alice.public]),
    executor: new RecordingExecutor(),
    audit: { record: () => undefined },
    clock: new RealClock(),
    wallClock: wallClockMs,
    partnerTopics: channel,
  });
  await bridge.start(new FakeSource());
  t.teardown(() => bridge.stop());
  await bridge.whenConnected();
  const display = await startDisplayServer({
    port: 0,
    brokerUrl: broker.wsUrl,
    nodeId: 'node-b',
    assetsDir: assets,
    layout: { v: 1, scenario: 'coordination', radars: [], launchers: [] },
  });
  t.teardown(() => display.close());
  broker.allowOrigin(display.origin);

  const { page, problems } = await openWatchedPage(t, { width: 1400, height: 900 });
  await page.goto(display.url);
  await page.waitForFunction(() => window.__display?.state.nodeState === 'online', undefined, { timeout: 20_000 });
  t.equal(await page.locator('#coordination').count(), 0, 'no badge before coordination reports');

  channel.status.update(status('coordinated', '2026-12-07T01:00:00.000Z'));
  await page.waitForFunction(() => document.getElementById('coordination')?.dataset['state'] === 'coordinated');
  const ok = page.locator('#coordination');
  t.match(await ok.textContent(), /^coordinated · node-a coordinated since 01:00:00Z · holding 1$/);
  t.match(await ok.getAttribute('class'), /\bok\b/);

  channel.status.update(status('coordination-lost', '2026-12-07T01:00:42.000Z'));
  await page.waitForFunction(() => document.getElementById('coordination')?.dataset['state'] === 'coordination-lost');
  const lost = page.locator('#coordination');
  t.match(await lost.textContent(), /^COORDINATION LOST · node-a LOST since 01:00:42Z$/);
  t.match(await lost.getAttribute('class'), /\bbad\b/, 'shown as a fault');
  const screenshot = join(tmpdir(), 'shieldlink-display-coordination-lost.png');
  await page.screenshot({ path: screenshot });
  t.pass(`screenshot at ${screenshot}`);

  channel.status.update(status('coordinated', '2026-12-07T01:00:50.000Z'));
  await page.waitForFunction(() => document.getElementById('coordination')?.dataset['state'] === 'coordinated');
  t.same(problems, [], `no console errors: ${problems.join(' | ')}`);
});
