/**
 * Benchmark figure 1 as the suite runs it: the loop benchmark (bench/loop.ts, with its
 * `setInterval` baseline) while serial traffic on PTYs and MQTT publishing run on the I/O
 * thread (bench/io-load.ts) — then, where the machine allows real-time scheduling, the same
 * again with the tick worker thread at SCHED_FIFO (bench/fifo-priority.ts), against the first
 * run as its baseline. The first is what a default install gets; the second what a bench PC
 * configured for it gets, and the difference is what the OS scheduler costs on this machine.
 */
import type { BenchFigure } from './bench-figure.js';
import { FIFO_PRIORITY, fifoUnavailableReason, promoteNewThreads, threadSnapshot } from './fifo-priority.js';
import { type IoLoadStats, startIoLoad } from './io-load.js';
import { type LoopBenchResult, loopFigures, measureLoop } from './loop.js';

/** Options of {@link runLoopUnderLoad}. */
export interface LoopUnderLoadOptions {
  /** 5 s per run instead of 30 s. */
  quick: boolean;
}

const GOAL_P99_US = 20;
const GOAL_MAX_US = 1_000;

async function measure(
  quick: boolean,
  fifo: boolean,
): Promise<{ loop: LoopBenchResult; load: IoLoadStats; promoted: string[] }> {
  let stats: IoLoadStats | undefined;
  let promoted: string[] = [];
  let poller: ReturnType<typeof setInterval> | undefined;
  const loop = await measureLoop({
    quick,
    extraLoad: async () => {
      const load = await startIoLoad({ serial: true, mqtt: true });
      if (fifo) {
        // measureLoop starts the tick worker right after this returns: the first thread to
        // appear from now on is the worker's.
        const before = threadSnapshot();
        poller = setInterval(() => {
          const fresh = promoteNewThreads(before);
          if (fresh.length === 0) return;
          promoted = fresh;
          clearInterval(poller);
        }, 2);
      }
      return async () => {
        if (poller !== undefined) clearInterval(poller);
        stats = await load.stop();
      };
    },
  });
  return { loop, load: stats!, promoted };
}

export async function runLoopUnderLoad(options: LoopUnderLoadOptions): Promise<BenchFigure[]> {
  const plain = await measure(options.quick, false);
  const figures = loopFigures(plain.loop);
  const rate = (n: number): number => n / plain.load.durationS;
  figures.push({ name: 'loop.load.serialFrames', value: rate(plain.load.serialFramesIn), unit: 'frames/s' });
  figures.push({ name: 'loop.load.mqttMessages', value: rate(plain.load.mqttMessagesIn), unit: 'msg/s' });
  const unavailable = fifoUnavailableReason();
  if (unavailable !== undefined) {
    process.stderr.write(`bench/loop: no SCHED_FIFO run: ${unavailable}\n`);
    return figures;
  }
  const fifo = await measure(options.quick, true);
  const base = 'the same loop and load under the default scheduler, measured just before';
  const lateness = fifo.loop.loop.latenessUs;
  for (const p of ['p50', 'p99', 'p999', 'max'] as const) {
    const goal = p === 'p99' ? `<= ${GOAL_P99_US} us` : p === 'max' ? `<= ${GOAL_MAX_US} us` : undefined;
    figures.push({
      name: `loop.fifo.lateness.${p}`,
      value: lateness[p],
      unit: 'us',
      ...(goal === undefined ? {} : { goal }),
      baseline: base,
      baselineValue: plain.loop.loop.latenessUs[p],
    });
  }
  figures.push({
    name: 'loop.fifo.missedTicks',
    value: fifo.loop.loop.missedTicks,
    unit: 'ticks',
    goal: '0',
    baseline: base,
    baselineValue: plain.loop.loop.missedTicks,
  });
  figures.push({
    name: 'loop.fifo.threadsPromoted',
    value: fifo.promoted.length,
    unit: `threads at FIFO ${FIFO_PRIORITY}`,
  });
  return figures;
}
