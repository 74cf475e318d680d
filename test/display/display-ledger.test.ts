import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { type Browser, chromium, type Page } from 'playwright-core';
import t from 'tap';
import { NodeKey, NodePublicKey } from '../../src/bridge/index.js';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { buildWeb } from '../../src/display/build-web.js';
import { type DisplayServer, startDisplayServer } from '../../src/display/display-server.js';
import { subscribeLedger } from '../../src/display/ledger-subscriber.js';
import { Mosquitto } from '../bridge/support/mosquitto.js';
import { skipUnlessTools } from '../support/require-tool.js';
import { CHROMIUM, CHROMIUM_ARGS } from './support/chromium.js';

/**
 * The display's decision ledger card, in real Chromium, fed through a real Mosquitto: a run
 * publishing its ledger shows the signed head and VERIFIED with each engagement's justification;
 * a ledger whose FIRE broke the policy, a tampered feed and a display that joined late each say
 * so plainly (red with the rule, or the late-join note).
 */
const skip = skipUnlessTools('mosquitto', 'chromium');
const TOPIC = 'shieldlink/v1/sim-1/shared/ledger';
const RED = 'rgb(255, 90, 95)';

async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  for (let waited = 0; !(await check()) && waited < ms; waited += 50) await new Promise((r) => setTimeout(r, 50));
}

interface Shown {
  verdict: string;
  verdictColour: string;
  head: string;
  notes: string[];
  findings: { text: string; colour: string }[];
  rows: { title: string; threat: string; rule: string; launcher: string; verdict: string; verdictColour: string }[];
}

async function shown(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    const colour = (e: Element | null): string => (e === null ? '' : getComputedStyle(e).color);
    const verdict = document.querySelector('#ledger .ledger-verdict');
    return {
      verdict: verdict?.textContent ?? '',
      verdictColour: colour(verdict),
      head: document.querySelector('#ledger .ledger-head')?.textContent ?? '',
      notes: [...document.querySelectorAll('#ledger .ledger-note')].map((e) => e.textContent ?? ''),
      findings: [...document.querySelectorAll('#ledger .ledger-findings li')].map((e) => ({
        text: e.textContent ?? '',
        colour: colour(e),
      })),
      rows: [...document.querySelectorAll('#ledger .ledger-eng')].map((e) => ({
        title: e.querySelector('.title')?.textContent ?? '',
        threat: e.querySelector('.threat .v')?.textContent ?? '',
        rule: e.querySelector('.rule .v')?.textContent ?? '',
        launcher: e.querySelector('.launcher .v')?.textContent ?? '',
        verdict: e.querySelector('.verdict')?.textContent ?? '',
        verdictColour: colour(e.querySelector('.verdict')),
      })),
    };
  });
}

t.test('the display shows the decision ledger, verified, and every violation', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-display-ledger-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const assets = await buildWeb(join(dir, 'page'));
  const broker = await Mosquitto.start(dir);
  t.teardown(() => broker.stop());
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  t.teardown(() => browser.close());
  const problems: string[] = [];

  /** A display server following the broker's ledger feed with `key`, and a page showing it. */
  const open = async (key: NodePublicKey): Promise<{ server: DisplayServer; page: Page; close(): Promise<void> }> => {
    const server = await startDisplayServer({ port: 0, brokerUrl: null, nodeId: 'sim-1', assetsDir: assets });
    server.ledger.setKey(key);
    const feed = subscribeLedger(
      { brokerUrl: broker.url, nodeId: 'sim-1', username: null, password: null },
      server.ledger,
    );
    await until(() => !server.ledger.snapshot().source.includes('('));
    const page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('WebSocket')) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(server.url);
    return {
      server,
      page,
      close: async () => {
        await page.close();
        await feed.close();
        await server.close();
      },
    };
  };
  const publish = async (lines: readonly string[]): Promise<void> => {
    const client = await mqtt.connectAsync(broker.url);
    for (const line of lines) await client.publishAsync(TOPIC, line, { qos: 1 });
    await client.endAsync();
  };
  const fixture = async (name: string) => {
    const lines = (await readFile(`test/ledger/fixtures/${name}.ledger`, 'utf8')).split('\n').filter((l) => l !== '');
    const key = NodePublicKey.fromJson(
      await readFile(`test/ledger/fixtures/${name}.node.pub.json`, 'utf8'),
      `${name}.node.pub.json`,
    );
    return { lines, key };
  };
  const waitVerdict = (page: Page, pattern: RegExp): Promise<unknown> =>
    page.waitForFunction(
      (source) => new RegExp(source).test(document.querySelector('#ledger .ledger-verdict')?.textContent ?? ''),
      pattern.source,
      { timeout: 20_000 },
    );

  await t.test('a FIRE against a non-threat: VIOLATION, red, with the rule it broke', async (t) => {
    const { lines, key } = await fixture('forced-non-threat');
    const view = await open(key);
    await publish(lines);
    await waitVerdict(view.page, /^VIOLATION.*closed/);
    const s = await shown(view.page);
    t.equal(s.verdictColour, RED, 'the verdict is red');
    t.match(s.head, /head \d+ size \d+ root [0-9a-f]{16}… signed 2026-\S+Z key 7196aaf9c6257431 \(final\)/);
    t.notMatch(s.head, /NOT VERIFIED/, 'the head itself verifies: the node signed what it did');
    t.ok(
      s.findings.some((f) => /^target-not-engageable-iff FIRE of engagement/.test(f.text) && f.colour === RED),
      `the broken rule is listed in red: ${s.findings.map((f) => f.text).join(' | ')}`,
    );
    const flagged = s.rows.filter((r) => /target-not-engageable-iff/.test(r.verdict));
    t.ok(
      flagged.length > 0 && flagged.every((r) => r.verdictColour === RED),
      'the engagement row says which rule, red',
    );
    t.match(
      flagged[0]!.threat,
      /^unknown, [\d.]+ km from launcher-1; recomputed impact: none, opening \d+ m\/s$/,
      'with the threat evaluation',
    );
    t.match(flagged[0]!.rule, /^auto:free:unknown /, 'and the rule the node claimed');
    await view.page.screenshot({ path: join(tmpdir(), 'shieldlink-display-ledger-violation.png') });
    await view.close();
  });

  await t.test('a tampered feed: root mismatch in red', async (t) => {
    const { lines, key } = await fixture('single-ballistic');
    const view = await open(key);
    const at = lines.findIndex((l, i) => i > 4 && l.startsWith('{"e":'));
    const tampered = [...lines];
    tampered[at] = tampered[at]!.replace(/"atUs":(\d)/, '"atUs":9$1');
    await publish(tampered);
    await waitVerdict(view.page, /^VIOLATION.*closed/);
    const s = await shown(view.page);
    t.equal(s.verdictColour, RED);
    t.ok(
      s.findings.some((f) => /^root-mismatch line \d+: head root/.test(f.text) && f.colour === RED),
      `root-mismatch listed: ${s.findings.map((f) => f.text).join(' | ')}`,
    );
    await view.close();
  });

  await t.test('a display that joined late says so', async (t) => {
    const { lines, key } = await fixture('single-ballistic');
    const half = Math.floor(lines.length / 2);
    await publish(lines.slice(0, half)); // nobody listens: these are gone
    const view = await open(key);
    await publish(lines.slice(half));
    await waitVerdict(view.page, /^VERIFIED SINCE JOINING/);
    const s = await shown(view.page);
    t.not(s.verdictColour, RED, 'nothing was violated');
    t.ok(
      s.notes.some((n) => /^joined late: joined at entry \d+: roots cannot be recomputed/.test(n)),
      s.notes.join(' | '),
    );
    t.ok(
      s.notes.some((n) => /FIREs not judged/.test(n)),
      'and that FIREs could not be judged',
    );
    await view.close();
  });

  await t.test('a run publishing its ledger: head and VERIFIED with the justifications', async (t) => {
    await mkdir(join(dir, 'keys'), { mode: 0o700 });
    const { key } = await NodeKey.loadOrCreate(join(dir, 'keys', 'sim-1.node.key.json'), 'sim-1');
    const view = await open(key.public);
    await runBench({
      loaded: await loadBenchConfig('hil-configs/sim.yaml'),
      scenarioFile: 'hil-configs/scenarios/single-ballistic.yaml',
      virtualTime: true,
      broker: broker.url,
      durationS: 40,
      recordFile: join(dir, 'run.run'),
    });
    await waitVerdict(view.page, /^VERIFIED .*closed \(final head\)/);
    const file = (await readFile(join(dir, 'run.ledger'), 'utf8')).split('\n').filter((l) => l !== '');
    const last = JSON.parse(file.at(-1)!) as { n: number; size: number; root: string; keyId: string };
    const s = await shown(view.page);
    t.equal(s.verdictColour, 'rgb(61, 220, 151)', 'VERIFIED in green');
    t.match(s.verdict, /^VERIFIED \d+ entries · 1 FIRE · 0 integrity problem\(s\) · 0 policy violation\(s\)/);
    t.match(
      s.head,
      `head ${last.n} size ${last.size} root ${last.root.slice(0, 16)}… signed `,
      'the final signed head, as in the file',
    );
    t.match(s.head, `key ${last.keyId} (final)`);
    t.same(s.findings, [], 'no finding');
    t.equal(s.notes.length, 0, 'not joined late');
    t.ok(s.rows.length > 0, 'engagements justified');
    const fired = s.rows.find((r) => /FIRE t/.test(r.title));
    t.ok(fired, 'the FIRE is listed');
    t.match(fired!.threat, /^hostile, [\d.]+ km from launcher-\d; impact .* in node-area, closing \d+ m\/s$/);
    t.match(fired!.rule, /^auto:(tight|free):hostile/, 'the rule that allowed it');
    t.match(fired!.launcher, /^launcher-\d: launch t [\d.]+ s, intercept t [\d.]+ s$/, 'why this launcher: its times');
    t.equal(fired!.verdict, 'compliant');
    t.match(fired!.title, /^engagement \d+ · track \d+ · FIRE t [\d.]+ s · \w+/, 'the FIRE and its outcome');
    await view.page.screenshot({ path: join(tmpdir(), 'shieldlink-display-ledger.png') });
    await view.close();
  });

  t.same(problems, [], `no console errors: ${problems.join(' | ')}`);
});
