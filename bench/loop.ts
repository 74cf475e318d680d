/**
 * Control-loop timing (benchmark figure 1): the real-time tick loop at 1 kHz for 30 s (5 s with
 * `--quick`) — tick lateness p50 / p99 / p99.9 / max and missed ticks — beside a baseline
 * measured in the same run: a `setInterval(…, 1)` loop on the I/O thread, whose lateness is taken
 * against the ideal absolute schedule `t0 + k·1 ms` (so its drift shows).
 *
 * Both run at once, under the same load. The baseline's callback also pushes one record into the
 * loop each time, which the echo handler sends back: that is the I/O traffic through the rings.
 * Its round trip (`loop.ringRoundTrip.*`) includes the wait for the next tick, up to one period.
 * Goal: p99 <= 20 us, max <= 1 ms, 0 missed ticks.
 *
 * The loop cannot out-run the OS scheduler: on a machine with more runnable threads than cores
 * the tick thread is preempted and lateness follows the load (the figures print the load
 * average). For a bench run, give the process a core (`taskset`) or real-time priority (`chrt`).
 *
 * Run on its own: `npx tsx bench/loop.ts [--quick]` (or `node dist/bench/loop.js` after a build).
 * Timing figures depend on the machine's load: run on an idle machine for the published table.
 */
import { cpus, loadavg } from 'node:os';
import { LatencyHistogram, type LatencySummary } from '../src/control/realtime/latency-histogram.js';
import { RealtimeLoop } from '../src/control/realtime/realtime-loop.js';
import { siblingModuleUrl } from '../src/control/realtime/spawn-worker.js';
import type { TickLoopMetrics } from '../src/control/realtime/tick-loop.js';
import type { BenchFigure } from './bench-figure.js';
import { partMain } from './part-main.js';
import { ruledTable } from './text-table.js';

/** Options of {@link runLoopBench}. */
export interface LoopBenchOptions {
  /** 5 s instead of 30 s (CI smoke run). */
  quick: boolean;
  /**
   * Start extra load (serial traffic on PTYs, MQTT publishing, …) to run during the measurement;
   * resolves to a function that stops it.
   */
  extraLoad?: () => Promise<() => Promise<void>>;
  /** Run the tick thread at SCHED_FIFO with this priority (`RealtimeLoopOptions.fifoPriority`). */
  fifoPriority?: number;
  /** Measure for this long, s; overrides the duration `quick` picks. */
  durationS?: number;
}

const PERIOD_US = 1_000;
const GOAL_P99_US = 20;
const GOAL_MAX_US = 1_000;

/** What one run measured (the figures are built from this). */
export interface LoopBenchResult {
  readonly durationS: number;
  readonly loop: TickLoopMetrics;
  readonly baseline: {
    readonly callbacks: number;
    /** Callbacks an exact 1 kHz schedule would have made in the same time. */
    readonly expectedCallbacks: number;
    readonly latenessUs: LatencySummary;
    /** Lateness of the last callback: the drift accumulated over the run. */
    readonly finalLatenessUs: number;
  };
  readonly roundTripUs: LatencySummary;
}

/** Measure the loop and its baseline; resolves to the figures. */
export async function runLoopBench(options: LoopBenchOptions): Promise<BenchFigure[]> {
  return loopFigures(await measureLoop(options));
}

/** Run the loop and the `setInterval` baseline side by side for the bench's duration. */
export async function measureLoop(options: LoopBenchOptions): Promise<LoopBenchResult> {
  const durationS = options.durationS ?? (options.quick ? 5 : 30);
  const stopLoad = options.extraLoad ? await options.extraLoad() : undefined;
  const loop = await RealtimeLoop.start({
    handlerModule: siblingModuleUrl('../src/control/realtime/echo-tick-handler.js', import.meta.url),
    periodUs: PERIOD_US,
    ...(options.fifoPriority === undefined ? {} : { fifoPriority: options.fifoPriority }),
  });
  const roundTrip = new LatencyHistogram();
  const origin = process.hrtime.bigint();
  const nowNs = (): number => Number(process.hrtime.bigint() - origin);
  loop.onOutput((record) => {
    if (record.length === 8) roundTrip.recordNs(nowNs() - new DataView(record.buffer).getFloat64(0, true));
  });

  const baseline = new LatencyHistogram();
  const probe = new Uint8Array(8);
  const probeView = new DataView(probe.buffer);
  let callbacks = 0;
  let finalLatenessNs = 0;
  const t0 = nowNs() + PERIOD_US * 1_000;
  const interval = setInterval(() => {
    const now = nowNs();
    finalLatenessNs = now - (t0 + callbacks * PERIOD_US * 1_000);
    baseline.recordNs(finalLatenessNs);
    callbacks++;
    probeView.setFloat64(0, now, true);
    loop.pushInput(probe);
  }, PERIOD_US / 1_000);

  await new Promise((resolve) => setTimeout(resolve, durationS * 1_000));
  clearInterval(interval);
  const elapsedNs = nowNs() - t0;
  const metrics = await loop.stop();
  await stopLoad?.();
  return {
    durationS,
    loop: metrics,
    baseline: {
      callbacks,
      expectedCallbacks: Math.floor(elapsedNs / (PERIOD_US * 1_000)) + 1,
      latenessUs: baseline.summary(),
      finalLatenessUs: finalLatenessNs / 1_000,
    },
    roundTripUs: roundTrip.summary(),
  };
}

/** The bench figures of one measurement. */
export function loopFigures(result: LoopBenchResult): BenchFigure[] {
  const { loop, baseline } = result;
  const base = `setInterval(…, 1) on the I/O thread, same run, lateness vs t0 + k·1 ms`;
  const lateness = (name: 'p50' | 'p99' | 'p999' | 'max', goal?: string): BenchFigure => ({
    name: `loop.lateness.${name}`,
    value: loop.latenessUs[name],
    unit: 'us',
    ...(goal === undefined ? {} : { goal }),
    baseline: base,
    baselineValue: baseline.latenessUs[name],
  });
  return [
    lateness('p50'),
    lateness('p99', `<= ${GOAL_P99_US} us`),
    lateness('p999'),
    lateness('max', `<= ${GOAL_MAX_US} us`),
    {
      name: 'loop.missedTicks',
      value: loop.missedTicks,
      unit: 'ticks',
      goal: '0',
      baseline: `${base}: callbacks short of an exact 1 kHz schedule`,
      baselineValue: baseline.expectedCallbacks - baseline.callbacks,
    },
    { name: 'loop.ticks', value: loop.ticks, unit: 'ticks' },
    { name: 'loop.overruns', value: loop.overruns, unit: 'ticks' },
    { name: 'loop.compute.p99', value: loop.computeUs.p99, unit: 'us' },
    { name: 'loop.compute.max', value: loop.computeUs.max, unit: 'us' },
    { name: 'loop.ringRoundTrip.p50', value: result.roundTripUs.p50, unit: 'us' },
    { name: 'loop.ringRoundTrip.p99', value: result.roundTripUs.p99, unit: 'us' },
    { name: 'loop.ioEventLoopDelay.p99', value: loop.ioEventLoopDelayUs?.p99 ?? 0, unit: 'us' },
    { name: 'loop.ioEventLoopDelay.max', value: loop.ioEventLoopDelayUs?.max ?? 0, unit: 'us' },
    { name: 'loop.ioStalls', value: loop.ioStalls, unit: 'stalls' },
    { name: 'loop.baseline.setInterval.drift', value: baseline.finalLatenessUs, unit: 'us' },
  ];
}

/** A table of figures for a terminal. */
export function formatLoopFigures(figures: readonly BenchFigure[]): string {
  const fmt = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));
  const rows = figures.map((f) => [
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    f.baselineValue === undefined ? '' : `${fmt(f.baselineValue)} ${f.unit}`,
    f.goal ?? '',
  ]);
  const header = ['figure', 'realtime loop', 'setInterval baseline', 'goal'];
  return ruledTable(header, rows).join('\n');
}

await partMain(import.meta.url, async ({ quick }) => {
  const before = loadavg();
  const figures = await runLoopBench({ quick });
  const after = loadavg();
  return [
    formatLoopFigures(figures),
    '',
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; load average (1 min) ${before[0]!.toFixed(2)} before, ` +
      `${after[0]!.toFixed(2)} after`,
  ];
});
