/**
 * Benchmark figure 1 as the suite runs it: the loop benchmark (bench/loop.ts, with its
 * `setInterval` baseline) while serial traffic on PTYs and MQTT publishing run on the I/O
 * thread (bench/io-load.ts) — then, where the machine allows real-time scheduling, the same
 * again with the tick thread at SCHED_FIFO (`control.tickFifoPriority`), against the first
 * run as its baseline. The first is what a default install gets; the second what a bench PC
 * configured for it gets, and the difference is what the OS scheduler costs on this machine.
 */
import type { BenchFigure } from './bench-figure.js';
import { fifoRefusalReason } from '../src/control/realtime/thread-priority.js';
import { BENCH_FIFO_PRIORITY } from './fifo-priority.js';
import { type IoLoadStats, startIoLoad } from './io-load.js';
import { type LoopBenchResult, loopFigures, measureLoop } from './loop.js';

/** Options of {@link runLoopUnderLoad}. */
export interface LoopUnderLoadOptions {
  /** 5 s per run instead of 30 s. */
  quick: boolean;
}

const GOAL_P99_US = 20;
const GOAL_MAX_US = 1_000;

async function measure(quick: boolean, fifo: boolean): Promise<{ loop: LoopBenchResult; load: IoLoadStats }> {
  let stats: IoLoadStats | undefined;
  const loop = await measureLoop({
    quick,
    ...(fifo ? { fifoPriority: BENCH_FIFO_PRIORITY } : {}),
    extraLoad: async () => {
      const load = await startIoLoad({ serial: true, mqtt: true });
      return async () => {
        stats = await load.stop();
      };
    },
  });
  return { loop, load: stats! };
}

export async function runLoopUnderLoad(options: LoopUnderLoadOptions): Promise<BenchFigure[]> {
  const plain = await measure(options.quick, false);
  const figures = loopFigures(plain.loop);
  const rate = (n: number): number => n / plain.load.durationS;
  figures.push({ name: 'loop.load.serialFrames', value: rate(plain.load.serialFramesIn), unit: 'frames/s' });
  figures.push({ name: 'loop.load.mqttMessages', value: rate(plain.load.mqttMessagesIn), unit: 'msg/s' });
  const unavailable = fifoRefusalReason(BENCH_FIFO_PRIORITY);
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
  const tickThread = fifo.loop.loop.tickThread;
  figures.push({
    name: 'loop.fifo.priority',
    value: tickThread?.policy === 'fifo' ? tickThread.priority : 0,
    unit: 'SCHED_FIFO priority of the tick thread (kernel)',
  });
  return figures;
}
