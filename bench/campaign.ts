/**
 * Campaign throughput: raid-50 runs per wall second with 1 and 2 local worker processes and
 * with 2 queue workers (BullMQ on a real redis-server on a free loopback port, one run at a
 * time each), in the same bench run on the same runs (seeds 5050…). Ideal scaling is linear in
 * cores: the figures report the ratio to one local worker. Each campaign is a fresh result
 * directory (nothing resumed); the queue figure includes enqueueing, Redis round trips and
 * gathering, but not the workers' start-up (they are ready before the clock starts).
 *
 * Skipped (reported not run) when redis-server is missing, except for the local figures.
 *
 * Run on its own: `npx tsx bench/campaign.ts [--quick]`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CampaignPlan, planCampaign } from '../src/campaign/campaign-plan.js';
import { runLocalCampaign } from '../src/campaign/local-campaign.js';
import { DEFAULT_QUEUE_NAME, runQueuedCampaign } from '../src/campaign/queue/queued-campaign.js';
import { parseRedisUrl } from '../src/campaign/queue/redis-url.js';
import { CampaignResultStore } from '../src/campaign/result-store.js';
import type { BenchFigure } from './bench-figure.js';
import { figureLine } from './figure-line.js';
import { nodeEntry, repoFile } from './node-entry.js';
import { partMain } from './part-main.js';

/** Options of {@link runCampaignBench}. */
export interface CampaignBenchOptions {
  /** Fewer, shorter runs (CI smoke run). */
  quick: boolean;
}

const REDIS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((f) => existsSync(f));

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function localRate(plan: CampaignPlan, workers: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-campaign-'));
  try {
    const store = CampaignResultStore.open(dir, plan, { fresh: true });
    const wallS = await timed(() => runLocalCampaign({ plan, store, workers, keepRecordings: false }));
    return plan.runs.length / wallS;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function queueRate(plan: CampaignPlan, workers: number): Promise<number> {
  const port = await freePort();
  const redis = spawn(REDIS!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  const cli = nodeEntry('../src/cli/main.js');
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-campaign-q-'));
  try {
    await new Promise((r) => setTimeout(r, 300));
    let ready = 0;
    await new Promise<void>((resolve, reject) => {
      for (let i = 0; i < workers; i++) {
        const child = spawn(
          process.execPath,
          [...cli.execArgv, cli.file, 'worker', '--queue', url, '--concurrency', '1', '--name', `bench-${i}`],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        );
        children.push(child);
        let text = '';
        child.stderr!.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('run(s) at a time') && !text.includes('\u0000counted')) {
            text += '\u0000counted';
            if (++ready === workers) resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`bench worker exited (${code})`)));
      }
    });
    const store = CampaignResultStore.open(dir, plan, { fresh: true });
    const wallS = await timed(() =>
      runQueuedCampaign({
        plan,
        store,
        redis: parseRedisUrl(url),
        queueName: DEFAULT_QUEUE_NAME,
        keepRecordings: false,
      }),
    );
    if (store.results().size !== plan.runs.length) throw new Error('queue campaign incomplete');
    return plan.runs.length / wallS;
  } finally {
    for (const child of children) {
      child.removeAllListeners('exit');
      child.kill('SIGKILL');
    }
    redis.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runCampaignBench(options: CampaignBenchOptions): Promise<BenchFigure[]> {
  const plan = await planCampaign({
    configFile: repoFile('hil-configs/sim.yaml'),
    scenarioFile: repoFile('hil-configs/scenarios/raid-50.yaml'),
    runs: options.quick ? 4 : 8,
    durationS: options.quick ? 60 : 150,
  });
  const one = await localRate(plan, 1);
  const two = await localRate(plan, 2);
  const figures: BenchFigure[] = [
    { name: 'campaign.local1.rate', value: one, unit: 'runs/s' },
    {
      name: 'campaign.local2.rate',
      value: two,
      unit: 'runs/s',
      baseline: '2 x one local worker (linear in cores)',
      baselineValue: 2 * one,
    },
    { name: 'campaign.local2.scaling', value: two / one, unit: 'x one worker', goal: '2 (linear)' },
  ];
  if (REDIS !== undefined) {
    const queue = await queueRate(plan, 2);
    figures.push(
      {
        name: 'campaign.queue2.rate',
        value: queue,
        unit: 'runs/s',
        baseline: '2 x one local worker (linear in cores)',
        baselineValue: 2 * one,
      },
      { name: 'campaign.queue2.scaling', value: queue / one, unit: 'x one worker', goal: '2 (linear)' },
      { name: 'campaign.queue2.vsLocal2', value: queue / two, unit: 'x two local workers' },
    );
  }
  figures.push({ name: 'campaign.runs', value: plan.runs.length, unit: `raid-50 runs of ${plan.durationS} s` });
  return figures;
}

await partMain(import.meta.url, async ({ quick }) =>
  (await runCampaignBench({ quick })).map((f) => figureLine(f, { nameWidth: 28, decimals: 3 })),
);
