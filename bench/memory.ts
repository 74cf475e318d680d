/**
 * Memory (benchmark figure 7): resident set size of a process holding the control core with 1,000
 * tracks × 8 launchers under steady load, beside the same process before the core was created;
 * in long mode also the growth over a 10-minute soak (the core stepping 1 ms ticks as fast as
 * the CPU allows, so the soak covers more simulated time than wall time).
 *
 * Each measurement runs in a fresh Node process (bench/memory-probe.ts, `--expose-gc`): the
 * figures are not polluted by the other benchmarks' heaps, and every reading follows a full GC.
 *
 * Run on its own: `npx tsx bench/memory.ts [--quick] [--long]`.
 */
import { spawn } from 'node:child_process';
import type { BenchFigure } from './bench-figure.js';
import { figureLine } from './figure-line.js';
import { nodeEntry } from './node-entry.js';
import { partMain } from './part-main.js';

/** Options of {@link runMemoryBench}. */
export interface MemoryBenchOptions {
  /** 1,000 tracks only (CI smoke run). */
  quick: boolean;
  /** Add the 10-minute soak. */
  long?: boolean;
  /** Soak length in seconds when `long` (default 600). */
  soakS?: number;
}

interface ProbeReading {
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly externalMb: number;
}

/** What bench/memory-probe prints. */
export interface ProbeResult {
  readonly tracks: number;
  readonly trackCount: number;
  readonly trackCountEnd: number;
  readonly fires: number;
  readonly gcExposed: boolean;
  readonly before: ProbeReading;
  readonly held: ProbeReading;
  readonly samples: readonly { wallS: number; simulatedS: number; rssMb: number; heapUsedMb: number }[];
}

/** Run bench/memory-probe in a new process. */
export function runMemoryProbe(tracks: number, soakS = 0): Promise<ProbeResult> {
  const entry = nodeEntry('./memory-probe.js');
  const args = [
    '--expose-gc',
    ...entry.execArgv,
    entry.file,
    '--tracks',
    String(tracks),
    '--soak-s',
    String(soakS),
    '--sample-s',
    '10',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`memory probe exited ${code}: ${stderr.trim().slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line) as ProbeResult);
    });
  });
}

export async function runMemoryBench(options: MemoryBenchOptions): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const plan = options.quick ? [1_000] : [1_000, 4_000];
  for (const tracks of plan) {
    const r = await runMemoryProbe(tracks);
    const id = `memory.${tracks}tracks`;
    figures.push({
      name: `${id}.rss`,
      value: r.held.rssMb,
      unit: 'MB',
      baseline: 'same process before the core was created (node + modules)',
      baselineValue: r.before.rssMb,
    });
    figures.push({
      name: `${id}.heapUsed`,
      value: r.held.heapUsedMb,
      unit: 'MB',
      baseline: 'same process before the core was created',
      baselineValue: r.before.heapUsedMb,
    });
    figures.push({ name: `${id}.tracksHeld`, value: r.trackCount, unit: 'tracks' });
    if (!r.gcExposed) figures.push({ name: `${id}.note.gcNotExposed`, value: 1, unit: 'flag' });
  }
  if (options.long === true) {
    const soakS = options.soakS ?? 600;
    const r = await runMemoryProbe(1_000, soakS);
    // Growth after the first minute (JIT, caches and the engagement tables reach steady state).
    const settled = r.samples.find((s) => s.wallS >= Math.min(60, soakS / 10)) ?? r.samples[0]!;
    const last = r.samples[r.samples.length - 1]!;
    const minutes = (last.wallS - settled.wallS) / 60;
    figures.push({
      name: 'memory.soak.rssGrowth',
      value: last.rssMb - settled.rssMb,
      unit: 'MB',
      goal: 'no sustained growth',
      baseline: `RSS after ${settled.wallS.toFixed(0)} s, then ${minutes.toFixed(1)} min more`,
      baselineValue: settled.rssMb,
    });
    // Growth over the second half alone: a step early on (heap or code space settling) shows
    // in the total, a leak in both halves.
    const middle = r.samples.find((s) => s.wallS >= (settled.wallS + last.wallS) / 2) ?? settled;
    figures.push({
      name: 'memory.soak.rssGrowth.secondHalf',
      value: last.rssMb - middle.rssMb,
      unit: 'MB',
      baseline: `RSS at ${middle.wallS.toFixed(0)} s`,
      baselineValue: middle.rssMb,
    });
    figures.push({
      name: 'memory.soak.heapGrowth',
      value: last.heapUsedMb - settled.heapUsedMb,
      unit: 'MB',
      baseline: `heap used after ${settled.wallS.toFixed(0)} s (after a full GC)`,
      baselineValue: settled.heapUsedMb,
    });
    figures.push({ name: 'memory.soak.simulated', value: last.simulatedS, unit: 's' });
    figures.push({ name: 'memory.soak.wall', value: last.wallS, unit: 's' });
    figures.push({ name: 'memory.soak.tracksAtEnd', value: r.trackCountEnd, unit: 'tracks' });
  }
  return figures;
}

await partMain(import.meta.url, async ({ quick, long }) =>
  (await runMemoryBench({ quick, long })).map((f) => figureLine(f, { nameWidth: 32, decimals: 1 })),
);
