import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { runCli } from '../cli/frames-io.js';
import { CHROMIUM_SKIP, openWatchedPage } from '../display/support/chromium.js';

const SCENARIO = 'hil-configs/scenarios/joint-raid.yaml';

/** A copy of the default bench config writing into `dir/out`. */
async function configIn(dir: string): Promise<string> {
  const config = (await readFile('hil-configs/sim.yaml', 'utf8'))
    .replace('scenario: scenarios/raid-50.yaml', `scenario: ${resolve('hil-configs/scenarios/raid-50.yaml')}`)
    .replace('output: { dir: ../runs }', `output: { dir: ${join(dir, 'out')} }`);
  const file = join(dir, 'sim.yaml');
  await writeFile(file, config);
  return file;
}

t.test(
  'a joint scenario in real time on the scenario brokers needs their passwords: exit 2, nothing started',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sl-joint-rt-'));
    delete process.env['NODE_A_MQTT_PASSWORD'];
    const run = await runCli([
      'run',
      '--config',
      await configIn(dir),
      '--scenario',
      SCENARIO,
      '--real-time',
      '--brokers',
      'scenario',
    ]);
    t.equal(run.code, 2, run.stderr);
    t.match(run.stderr, /--brokers scenario: node node-a's broker password: set NODE_A_MQTT_PASSWORD/);
    const written = await readdir(join(dir, 'out')).catch(() => []);
    t.same(written, [], 'nothing started, nothing written');
    const bad = await runCli([
      'run',
      '--config',
      await configIn(dir),
      '--scenario',
      SCENARIO,
      '--real-time',
      '--brokers',
      'x',
    ]);
    t.equal(bad.code, 2);
    t.match(bad.stderr, /--brokers: expected one of start, scenario, got 'x'/);
    const virtual = await runCli([
      'run',
      '--config',
      await configIn(dir),
      '--scenario',
      SCENARIO,
      '--brokers',
      'start',
    ]);
    t.equal(virtual.code, 2);
    t.match(virtual.stderr, /--brokers applies to --real-time only/);
  },
);

t.test('a joint run writes the joint report: the nodes plan views side by side, drawn in a browser', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-joint-report-'));
  const run = await runCli(['run', '--config', await configIn(dir), '--scenario', SCENARIO, '--duration', '40']);
  t.equal(run.code, 0, run.stderr);
  const file = join(dir, 'out', 'joint-raid.joint.report.html');
  t.match(run.stdout, `joint report (nodes side by side): ${file}`);
  const html = await readFile(file, 'utf8');
  const data = JSON.parse(
    html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)![1]!,
  ) as {
    charts: { id: string; config: { data: { datasets: { label: string; data: unknown[] }[] } } }[];
  };
  t.same(
    data.charts.map((c) => c.id),
    ['joint-plan-node-a', 'joint-plan-node-b'],
  );
  for (const chart of data.charts) {
    const labels = chart.config.data.datasets.map((d) => d.label);
    t.ok(labels.includes('Own track'), `${chart.id}: own tracks`);
    t.ok(labels.includes('Radar coverage'), `${chart.id}: coverage`);
  }
  const a = data.charts[0]!.config.data.datasets.map((d) => d.label);
  t.ok(
    a.includes('Partner track') || a.includes('Fused track'),
    'node A holds tracks from node B (the raid comes from B’s side)',
  );

  // Association lines: each starts on a fused track's point and ends on its own track (where the
  // fused estimate is) or on the partner's track, brought from the partner's frame into this one
  // (a frame mistake would put it kilometres off); no line touches an own-only track.
  for (const chart of data.charts) {
    const sets = chart.config.data.datasets as {
      label: string;
      data: { x: number | null; y: number | null; n?: string }[];
    }[];
    const association = sets.find((d) => d.label === 'Association')?.data ?? [];
    const fused = new Set((sets.find((d) => d.label === 'Fused track')?.data ?? []).map((p) => `${p.x},${p.y}`));
    t.ok(association.length > 0, `${chart.id}: association lines drawn`);
    let partnerLines = 0;
    let offFused = 0;
    for (let i = 0; i + 1 < association.length; i += 3) {
      const [from, to] = [association[i]!, association[i + 1]!];
      if (!fused.has(`${from.x},${from.y}`)) offFused += 1;
      const km = Math.hypot(from.x! - to.x!, from.y! - to.y!);
      if (/↔ node-/.test(from.n ?? '')) {
        partnerLines += 1;
        if (km > 1) t.fail(`${chart.id}: partner member ${km} km from its fused track (${from.n})`);
      }
    }
    t.ok(partnerLines > 0, `${chart.id}: ${partnerLines} lines to partner tracks`);
    t.equal(offFused, 0, `${chart.id}: every line starts on a fused track`);
  }

  // Node B's radar stands at its site, 40 km east of node A (48.0° N, 11.537° E vs 11.0° E).
  const partnerRadar = data.charts[0]!.config.data.datasets.find((d) => d.label === 'Partner radar')!.data[0] as {
    x: number;
    y: number;
  };
  t.ok(
    Math.abs(partnerRadar.x - 40.0) < 0.2 && Math.abs(partnerRadar.y) < 0.5,
    `B's radar in A's frame at ${partnerRadar.x}, ${partnerRadar.y} km`,
  );
  const mirrored = data.charts[1]!.config.data.datasets.find((d) => d.label === 'Partner radar')!.data[0] as {
    x: number;
    y: number;
  };
  t.ok(Math.abs(mirrored.x + 40.0) < 0.2, `A's radar in B's frame at ${mirrored.x} km`);

  if (CHROMIUM_SKIP !== false) {
    t.comment(`browser check skipped: ${CHROMIUM_SKIP}`);
    return;
  }
  const { page, problems } = await openWatchedPage(t, { width: 1600, height: 1000 });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (window as unknown as { __reportReady?: boolean }).__reportReady === true);
  const status = (await page.evaluate(() => (window as unknown as { __reportStatus: unknown }).__reportStatus)) as {
    errors: string[];
    charts: { id: string; coloured: number }[];
  };
  t.same(status.errors, [], 'the page reports no problem');
  t.equal(status.charts.length, 2);
  t.ok(
    status.charts.every((c) => c.coloured > 500),
    `both plan views drawn: ${status.charts.map((c) => c.coloured).join(', ')}`,
  );
  const boxes = await page.evaluate(() =>
    [...document.querySelectorAll('canvas')].map((c) => {
      const r = c.getBoundingClientRect();
      return { left: r.left, top: r.top, width: r.width };
    }),
  );
  t.ok(Math.abs(boxes[0]!.top - boxes[1]!.top) < 1, 'same row');
  t.ok(boxes[1]!.left >= boxes[0]!.left + boxes[0]!.width, 'node-b right of node-a');
  const screenshot = process.env['SHIELDLINK_JOINT_REPORT_SCREENSHOT'] ?? join(tmpdir(), 'shieldlink-joint-report.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  t.pass(`screenshot at ${screenshot}`);
  t.same(problems, []);
});
