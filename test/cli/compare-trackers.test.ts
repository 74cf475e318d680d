import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from './frames-io.js';

const WEAVE = join(import.meta.dirname, '../../hil-configs/scenarios/weave.yaml');

t.test('compare-trackers: both trackers, one table, one recording each', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'compare-trackers-'));
  const r = await runCli(['compare-trackers', '--scenario', WEAVE, '--out', out, '--duration', '15']);
  t.equal(r.code, 0, r.stderr);
  const [header, ...rows] = r.stdout.split('\n');
  t.match(header, /scenario weave\s+tracker imm\s+tracker cv/);
  t.ok(
    rows.some((row) => /^manoeuvring hostiles intercepted\s+\d+\/10/.test(row)),
    r.stdout,
  );
  t.ok(
    rows.some((row) => /^friendlies engaged\s+0\s+0/.test(row)),
    r.stdout,
  );
  for (const tracker of ['imm', 'cv']) t.ok(existsSync(join(out, `weave.${tracker}.run`)), `${tracker} recording`);
  const json = await runCli(['compare-trackers', '--scenario', WEAVE, '--out', out, '--duration', '5', '--json']);
  const parsed = JSON.parse(json.stdout.trim().split('\n').pop()!) as { runs: Record<string, unknown> };
  t.same(Object.keys(parsed.runs), ['imm', 'cv']);
});

t.test('compare-trackers and run --tracker: usage errors exit 2', async (t) => {
  const missing = await runCli(['compare-trackers']);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /--scenario FILE is required/);
  const bad = await runCli(['run', '--tracker', 'kalman', '--scenario', WEAVE]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--tracker: expected imm or cv, got 'kalman'/);
});
