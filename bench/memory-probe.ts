/**
 * Child process of the memory benchmark (bench/memory.ts): a fresh Node process that holds the
 * control core with N tracks and reports its memory as one JSON line on stdout. Run with
 * `--expose-gc` so that every reading is taken after a full collection (live memory, not
 * garbage waiting to be collected).
 *
 * Load: N targets on circular orbits around the defended point (radius 8–30 km, 2–12 km up,
 * 150–350 m/s), so they stay in coverage for any soak length; two radars each report every
 * target once per 1 s scan; 8 launchers report status every 100 ms and launch every FIRE on
 * time, never killing, so targets are engaged, assessed missed and engaged again — the
 * engagement tables churn for the whole run. Weapons FREE.
 *
 * Arguments: `--tracks N` (default 1000), `--soak-s S` (default 0: no soak). With a soak, the
 * core keeps stepping (1 ms ticks, as fast as the CPU allows) for S wall seconds and a sample
 * `{rssMb, heapUsedMb, simulatedS}` is taken every `--sample-s` seconds (default 10).
 */
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src/common/mulberry32.js';
import { createControlState, step, type ControlConfig, type ControlInput } from '../src/control/index.js';
import { ControlLoad, START_US, TICK_US, controlBenchConfig } from './control-load.js';

const LAUNCHERS = 8;
const MB = 1024 * 1024;

interface Orbit {
  readonly radiusM: number;
  readonly upM: number;
  readonly omegaRadPerS: number;
  readonly phase: number;
}

/** The devices' side (ControlLoad): targets on their orbits, launchers at rest. */
class OrbitLoad extends ControlLoad {
  constructor(
    config: ControlConfig,
    private readonly orbits: readonly Orbit[],
  ) {
    super(config, orbits.length);
  }

  protected override locate(i: number, s: number, out: Float64Array): boolean {
    const o = this.orbits[i]!;
    const angle = o.phase + o.omegaRadPerS * s;
    const speed = o.radiusM * o.omegaRadPerS;
    out[0] = o.radiusM * Math.cos(angle);
    out[1] = o.radiusM * Math.sin(angle);
    out[2] = o.upM;
    out[3] = -speed * Math.sin(angle);
    out[4] = speed * Math.cos(angle);
    out[5] = 0;
    return true;
  }
}

/** One memory reading after a full GC (when exposed). */
function reading(): { rssMb: number; heapUsedMb: number; externalMb: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rssMb: m.rss / MB, heapUsedMb: m.heapUsed / MB, externalMb: (m.external + m.arrayBuffers) / MB };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tracks: { type: 'string', default: '1000' },
      'soak-s': { type: 'string', default: '0' },
      'sample-s': { type: 'string', default: '10' },
    },
  });
  const tracks = Number(values.tracks);
  const soakS = Number(values['soak-s']);
  const sampleS = Number(values['sample-s']);
  const before = reading();
  const cfg = controlBenchConfig(tracks, LAUNCHERS);
  const state = createControlState(cfg);
  const random = mulberry32(0x3e3 + tracks);
  const orbits: Orbit[] = [];
  for (let i = 0; i < tracks; i++) {
    const radiusM = 8_000 + random() * 22_000;
    const speed = 150 + random() * 200;
    orbits.push({
      radiusM,
      upM: 2_000 + random() * 10_000,
      omegaRadPerS: (random() < 0.5 ? -1 : 1) * (speed / radiusM),
      phase: random() * 2 * Math.PI,
    });
  }
  const load = new OrbitLoad(cfg, orbits);
  const inputs: ControlInput[] = [];
  let k = 0;
  const run = (ticks: number): void => {
    for (const end = k + ticks; k < end; k++) {
      inputs.length = 0;
      load.fill(k, inputs);
      load.observe(step(state, inputs, START_US + k * TICK_US));
    }
  };
  // Warm-up: 5 simulated seconds, every target reported several times by both radars.
  run(5_000);
  await yieldToEventLoop();
  const held = reading();
  const trackCount = state.trackCount;
  const samples: { wallS: number; simulatedS: number; rssMb: number; heapUsedMb: number }[] = [];
  if (soakS > 0) {
    const t0 = process.hrtime.bigint();
    const wallS = (): number => Number(process.hrtime.bigint() - t0) / 1e9;
    let nextSampleS = 0;
    while (wallS() < soakS) {
      run(1_000);
      await yieldToEventLoop();
      if (wallS() >= nextSampleS) {
        const r = reading();
        samples.push({ wallS: wallS(), simulatedS: k / 1_000, rssMb: r.rssMb, heapUsedMb: r.heapUsedMb });
        nextSampleS += sampleS;
      }
    }
    const r = reading();
    samples.push({ wallS: wallS(), simulatedS: k / 1_000, rssMb: r.rssMb, heapUsedMb: r.heapUsedMb });
  }
  process.stdout.write(
    JSON.stringify({
      tracks,
      trackCount,
      trackCountEnd: state.trackCount,
      fires: load.fires,
      gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
      before,
      held,
      samples,
    }) + '\n',
  );
}

await main();
