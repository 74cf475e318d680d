/**
 * Does the MQTT bridge move the control loop's timing? (benchmark figure 6, second half.) The
 * loop benchmark (bench/loop.ts) under serial traffic on PTYs, alternately without and with
 * the embedded broker, the bridge and a subscriber publishing at a raid's rates and more
 * (bench/io-load.ts): A B A B …, 5 s each, so that a drift in the machine's load hits both
 * alike. The bridge runs on the I/O thread, the tick on its own worker thread.
 *
 * On shared cores the tick lateness varies from one 5 s round to the next by more than any
 * plausible effect of the bridge, so the verdict compares the bridge's rounds with the spread of
 * the no-bridge rounds: met when the median p99 with the bridge is no worse than the worst
 * no-bridge round plus 20 us.
 */
import type { BenchFigure } from './bench-figure.js';
import { type IoLoadStats, startIoLoad } from './io-load.js';
import { type LoopBenchResult, measureLoop } from './loop.js';

/** Options of {@link runBridgeLoopBench}. */
export interface BridgeLoopBenchOptions {
  /** One round of each instead of four. */
  quick: boolean;
}

const ALLOWANCE_US = 20;

async function round(mqtt: boolean): Promise<{ loop: LoopBenchResult; load: IoLoadStats }> {
  let stats: IoLoadStats | undefined;
  const loop = await measureLoop({
    quick: true,
    extraLoad: async () => {
      const load = await startIoLoad({ serial: true, mqtt });
      return async () => {
        stats = await load.stop();
      };
    },
  });
  return { loop, load: stats! };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

export async function runBridgeLoopBench(options: BridgeLoopBenchOptions): Promise<BenchFigure[]> {
  const rounds = options.quick ? 1 : 4;
  const without: { loop: LoopBenchResult; load: IoLoadStats }[] = [];
  const withBridge: { loop: LoopBenchResult; load: IoLoadStats }[] = [];
  for (let i = 0; i < rounds; i++) {
    without.push(await round(false));
    withBridge.push(await round(true));
  }
  const base = `same loop and serial load, no bridge: median of ${rounds} round(s) of 5 s interleaved with the bridge's`;
  const figures: BenchFigure[] = [];
  const pick = (runs: typeof without, p: 'p50' | 'p99' | 'p999' | 'max'): number =>
    median(runs.map((r) => r.loop.loop.latenessUs[p]));
  const worstWithoutP99 = Math.max(...without.map((r) => r.loop.loop.latenessUs.p99));
  for (const p of ['p50', 'p99', 'p999', 'max'] as const) {
    figures.push({
      name: `mqtt.bridgeLoad.loop.lateness.${p}`,
      value: pick(withBridge, p),
      unit: 'us',
      ...(p === 'p99'
        ? {
            goal: `the bridge must not move it: <= the worst no-bridge round + ${ALLOWANCE_US} us`,
            met: pick(withBridge, 'p99') <= worstWithoutP99 + ALLOWANCE_US,
          }
        : {}),
      baseline: base,
      baselineValue: pick(without, p),
    });
  }
  figures.push({
    name: 'mqtt.bridgeLoad.loop.lateness.p99.worstRoundWithoutBridge',
    value: worstWithoutP99,
    unit: 'us',
  });
  figures.push({
    name: 'mqtt.bridgeLoad.loop.missedTicks',
    value: median(withBridge.map((r) => r.loop.loop.missedTicks)),
    unit: 'ticks',
    baseline: base,
    baselineValue: median(without.map((r) => r.loop.loop.missedTicks)),
  });
  figures.push({
    name: 'mqtt.bridgeLoad.ioEventLoopDelay.p99',
    value: median(withBridge.map((r) => r.loop.loop.ioEventLoopDelayUs?.p99 ?? Number.NaN)),
    unit: 'us',
    baseline: base,
    baselineValue: median(without.map((r) => r.loop.loop.ioEventLoopDelayUs?.p99 ?? Number.NaN)),
  });
  const rate = (runs: typeof without, pick: (s: IoLoadStats) => number): number =>
    median(runs.map((r) => pick(r.load) / r.load.durationS));
  figures.push({
    name: 'mqtt.bridgeLoad.mqttMessages',
    value: rate(withBridge, (s) => s.mqttMessagesIn),
    unit: 'msg/s',
  });
  figures.push({
    name: 'mqtt.bridgeLoad.serialFrames',
    value: rate(withBridge, (s) => s.serialFramesIn),
    unit: 'frames/s',
    baseline: 'serial frames/s in the rounds without the bridge',
    baselineValue: rate(without, (s) => s.serialFramesIn),
  });
  return figures;
}
