import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../cli/frames-io.js';

// Longer than the suite's default file timeout: a dozen short campaign runs in worker processes, on a loaded machine.
t.setTimeout(600_000);

const SCENARIO = 'hil-configs/scenarios/single-ballistic.yaml';
const SHORT = ['--scenario', SCENARIO, '--duration', '20'];

interface RunDigest {
  key: string;
  seed: number;
  status: string;
  recordingSha256: string;
  outputsSha256: string;
  truthSha256: string;
}
const digestsOf = (json: string): Map<string, RunDigest> => {
  const parsed = JSON.parse(json.trim().split('\n').pop()!) as { runs: RunDigest[] };
  return new Map(parsed.runs.map((r) => [r.key, r]));
};

t.test('a local campaign: statistics, report, JUnit; same seeds give the same digests', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-campaign-'));
  const a = await runCli([
    'campaign',
    ...SHORT,
    '--runs',
    '3',
    '--workers',
    '2',
    '--out',
    join(dir, 'a'),
    '--json',
    '--junit',
    join(dir, 'a.xml'),
  ]);
  t.equal(a.code, 0, a.stderr);
  const stats = JSON.parse(a.stdout.trim().split('\n').pop()!) as {
    verdict: string;
    overall: { runsDone: number; interceptRatio: { low: number | null } };
    seeds: number[];
  };
  t.equal(stats.verdict, 'pass');
  t.equal(stats.overall.runsDone, 3);
  t.same(stats.seeds, [1, 2, 3]);
  const report = readFileSync(join(dir, 'a', 'report.html'), 'utf8');
  t.match(report, /intercept ratio .*\[/, 'the report shows the intercept ratio with its interval');
  t.match(report, 'chart-intercept');
  t.match(
    readFileSync(join(dir, 'a.xml'), 'utf8'),
    '<testcase classname="shieldlink campaign single-ballistic.yaml base" name="safety.firesWhileLinkLost == 0"/>',
  );

  const b = await runCli(['campaign', ...SHORT, '--runs', '3', '--workers', '1', '--out', join(dir, 'b'), '--json']);
  t.equal(b.code, 0, b.stderr);
  const da = digestsOf(a.stdout);
  const db = digestsOf(b.stdout);
  t.equal(da.size, 3);
  for (const [key, run] of da) {
    t.equal(db.get(key)?.recordingSha256, run.recordingSha256, `${key} recording`);
    t.equal(db.get(key)?.outputsSha256, run.outputsSha256, `${key} outputs`);
    t.equal(db.get(key)?.truthSha256, run.truthSha256, `${key} truth`);
  }
  const seeds = [...da.values()].map((r) => r.recordingSha256);
  t.equal(new Set(seeds).size, 3, 'other seeds, other recordings');

  // Run 0 is the scenario file as written: the same bytes as `shieldlink run`.
  const one = await runCli(['run', ...SHORT, '--broker', 'none', '--record', join(dir, 'one.run'), '--json']);
  t.ok(one.code === 0 || one.code === 1, one.stderr); // 20 s is too short for the scenario's measurements
  t.equal(JSON.parse(one.stdout.trim().split('\n').pop()!).recordingSha256, da.get('p0-r0')!.recordingSha256);

  // Again in a directory that holds the campaign: nothing to run, same statistics.
  const again = await runCli(['campaign', ...SHORT, '--runs', '3', '--out', join(dir, 'a'), '--json']);
  t.equal(again.code, 0);
  t.match(again.stderr, 'resuming: 3 of 3 runs already stored');
  t.same([...digestsOf(again.stdout).keys()], [...da.keys()]);
  // Another campaign in that directory is refused.
  const other = await runCli([
    'campaign',
    '--scenario',
    SCENARIO,
    '--duration',
    '21',
    '--runs',
    '3',
    '--out',
    join(dir, 'a'),
  ]);
  t.equal(other.code, 2);
  t.match(other.stderr, 'holds campaign');
});

t.test('an interrupted campaign resumes where it stopped; every run once', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-campaign-resume-'));
  const out = join(dir, 'c');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'campaign', ...SHORT, '--runs', '4', '--workers', '1', '--out', out],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const results = join(out, 'results.jsonl');
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (existsSync(results) && readFileSync(results, 'utf8').split('\n').length >= 2) {
        clearInterval(check);
        child.kill('SIGINT');
        resolve();
      }
    }, 100);
    child.once('exit', () => {
      clearInterval(check);
      reject(new Error(`campaign ended before it could be interrupted: ${stdout}`));
    });
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  t.equal(code, 3, 'interrupted: exit 3');
  t.match(stdout, 'run the same command to resume');
  const stored = readFileSync(results, 'utf8').trim().split('\n').length;
  t.ok(stored >= 1 && stored < 4, `${stored} run(s) stored before the interrupt`);

  const resumed = await runCli(['campaign', ...SHORT, '--runs', '4', '--workers', '2', '--out', out, '--json']);
  t.equal(resumed.code, 0, resumed.stderr);
  t.match(resumed.stderr, `resuming: ${stored} of 4 runs already stored`);
  const keys = readFileSync(results, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { key: string }).key);
  t.same([...keys].sort(), ['p0-r0', 'p0-r1', 'p0-r2', 'p0-r3'], 'every run stored exactly once');
});

t.test('a sweep with one invalid point stops before any run, naming the point and field', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-campaign-sweep-'));
  const sweep = join(dir, 'sweep.yaml');
  await writeFile(
    sweep,
    [
      `scenario: ${join(process.cwd(), SCENARIO)}`,
      'runs: 2',
      'parameters:',
      '  - {name: pd, path: "radars[*].detectionProbability", values: [0.9, 1.5, 0.5]}',
      '',
    ].join('\n'),
  );
  const result = await runCli(['campaign', '--sweep', sweep, '--out', join(dir, 'out')]);
  t.equal(result.code, 2);
  t.match(result.stderr, 'sweep point 1 (pd=1.5): radars[0].detectionProbability: expected a probability in [0, 1]');
  t.notOk(existsSync(join(dir, 'out')), 'nothing ran, nothing stored');
});
