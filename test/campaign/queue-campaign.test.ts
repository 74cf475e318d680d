import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../cli/frames-io.js';
import { RedisServer, redisSkip } from './support/redis-server.js';

// Longer than the suite's default file timeout: two 50-run campaigns (queue and local) and an outage, on a loaded machine.
t.setTimeout(900_000);

// A distributed campaign on a real redis-server with two worker processes: completes, survives
// a worker killed with kill -9 mid-run and a Redis that goes away, reports every seed once, and
// gives the local campaign's digests. Runs are short (20 simulated seconds) to keep CI quick.
const RUNS = Number(process.env['SHIELDLINK_QUEUE_TEST_RUNS'] ?? 50);
const SHORT = ['--scenario', 'hil-configs/scenarios/single-ballistic.yaml', '--duration', '20'];

const skip = redisSkip();
if (skip !== false) t.comment(`SKIP queue campaign tests: ${skip}`);

interface RunDigest {
  key: string;
  seed: number;
  status: string;
  worker: string;
  recordingSha256: string;
  outputsSha256: string;
}

function cli(args: string[]): {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function until(what: string, condition: () => boolean, timeoutMs = 240_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const runsOf = (stdout: string): RunDigest[] =>
  (JSON.parse(stdout.trim().split('\n').pop()!) as { runs: RunDigest[] }).runs;

let localDigests: Map<string, RunDigest> | undefined;

t.test(`a ${RUNS}-run campaign on two queue workers, one killed with kill -9 mid-run`, { skip }, async (t) => {
  const redis = await RedisServer.start();
  const dir = await mkdtemp(join(tmpdir(), 'sl-queue-'));
  const workerArgs = (name: string) => [
    'worker',
    '--queue',
    redis.url,
    '--concurrency',
    '1',
    '--name',
    name,
    '--lock-s',
    '3',
  ];
  const w1 = cli(workerArgs('w1'));
  const w2 = cli(workerArgs('w2'));
  t.teardown(async () => {
    for (const w of [w1, w2]) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await redis.stop();
  });
  await until(
    'both workers ready',
    () => w1.err().includes('run(s) at a time') && w2.err().includes('run(s) at a time'),
    60_000,
  );

  const campaign = cli([
    'campaign',
    ...SHORT,
    '--runs',
    String(RUNS),
    '--queue',
    redis.url,
    '--out',
    join(dir, 'q'),
    '--json',
  ]);
  // Kill w1 while it runs its second job (the first is finished: it is surely mid-run then).
  await until('w1 running its second run', () => (w1.err().match(/: started/g) ?? []).length >= 2);
  const started = [...w1.err().matchAll(/^(p\d+-r\d+) seed \d+: started/gm)].map((m) => m[1]!);
  const killedKey = started[started.length - 1]!;
  w1.child.kill('SIGKILL');
  t.comment(`killed w1 (kill -9) while it ran ${killedKey}`);

  const code = await campaign.exit;
  t.equal(code, 0, campaign.err().slice(-2000));
  const runs = runsOf(campaign.out());
  t.equal(runs.length, RUNS, 'every run reported');
  t.equal(new Set(runs.map((r) => r.key)).size, RUNS, 'each exactly once');
  t.same(
    runs.map((r) => r.seed).sort((a, b) => a - b),
    Array.from({ length: RUNS }, (_, i) => i + 1),
    'every seed',
  );
  t.ok(runs.every((r) => r.status === 'ok'));
  const killed = runs.find((r) => r.key === killedKey)!;
  t.equal(killed.worker, 'w2', `${killedKey}, cut short on w1, was run again on w2`);
  t.match(w2.err(), new RegExp(`${killedKey} seed \\d+: ok`));
  const lines = readFileSync(join(dir, 'q', 'results.jsonl'), 'utf8')
    .trim()
    .split('\n');
  t.equal(lines.length, RUNS, 'stored once each');
  t.match(campaign.err(), /workers 2/, 'progress shows the workers');

  // The same campaign locally: the same digests, seed by seed.
  const local = await runCli([
    'campaign',
    ...SHORT,
    '--runs',
    String(RUNS),
    '--workers',
    '2',
    '--out',
    join(dir, 'l'),
    '--json',
  ]);
  t.equal(local.code, 0, local.stderr);
  localDigests = new Map(runsOf(local.stdout).map((r) => [r.key, r]));
  let same = 0;
  for (const r of runs) {
    const l = localDigests.get(r.key);
    if (l?.recordingSha256 === r.recordingSha256 && l.outputsSha256 === r.outputsSha256) same++;
    else t.fail(`${r.key}: distributed ${r.recordingSha256} local ${l?.recordingSha256}`);
  }
  t.equal(same, RUNS, 'every run: same recording and outputs digests locally and distributed');
});

t.test(
  'a Redis that goes away pauses the campaign, which resumes when it returns, losing nothing',
  { skip },
  async (t) => {
    const redis = await RedisServer.start();
    const dir = await mkdtemp(join(tmpdir(), 'sl-queue-outage-'));
    const worker = cli(['worker', '--queue', redis.url, '--concurrency', '2', '--name', 'w3', '--lock-s', '3']);
    t.teardown(async () => {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await redis.stop();
    });
    await until('worker ready', () => worker.err().includes('run(s) at a time'), 60_000);
    const out = join(dir, 'q');
    const total = 8;
    const campaign = cli(['campaign', ...SHORT, '--runs', String(total), '--queue', redis.url, '--out', out, '--json']);
    const results = join(out, 'results.jsonl');
    const storedCount = (): number =>
      existsSync(results) ? readFileSync(results, 'utf8').trim().split('\n').filter(Boolean).length : 0;
    await until('two results stored', () => storedCount() >= 2);
    await redis.stop('SIGKILL'); // gone, and comes back empty (no persistence)
    const before = storedCount();
    await until(
      'the campaign says it is paused',
      () => /PAUSED: Redis at 127\.0\.0\.1:\d+ unreachable/.test(campaign.err()),
      30_000,
    );
    t.pass(`paused with ${before} of ${total} stored`);
    t.match(worker.err(), /unreachable .*waiting for it to return/, 'the worker says so too');
    await new Promise((r) => setTimeout(r, 1500));
    await redis.restart();
    const code = await campaign.exit;
    t.equal(code, 0, campaign.err().slice(-2000));
    const runs = runsOf(campaign.out());
    t.equal(runs.length, total);
    t.equal(new Set(runs.map((r) => r.key)).size, total, 'every run once');
    t.equal(storedCount(), total, 'stored once each');
    t.ok(storedCount() > before, 'runs finished after Redis returned');
    if (localDigests !== undefined)
      for (const r of runs) {
        const local = localDigests.get(r.key);
        if (local !== undefined) t.equal(r.recordingSha256, local.recordingSha256, `${r.key} digest as local`);
      }
  },
);
