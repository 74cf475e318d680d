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
import {
  createControlState,
  makeControlConfig,
  step,
  type ControlConfig,
  type ControlInput,
  type LauncherConfig,
  type StepOutput,
} from '../src/control/index.js';

const TICK_US = 1_000;
/** Host clock an hour after start, as in a long run (beyond V8's small integers). */
const START_US = 3_600_000_000;
const LAUNCHERS = 8;
const MB = 1024 * 1024;

interface Orbit {
  readonly radiusM: number;
  readonly upM: number;
  readonly omegaRadPerS: number;
  readonly phase: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function config(tracks: number): ControlConfig {
  const launchers: LauncherConfig[] = [];
  for (let i = 0; i < LAUNCHERS; i++) {
    const bearing = (2 * Math.PI * i) / LAUNCHERS;
    launchers.push({
      id: `L${i + 1}`,
      position: { eastM: 5_000 * Math.sin(bearing), northM: 5_000 * Math.cos(bearing), upM: 0 },
      flyout: { launchDelayMs: 250, speedMps: 1_500 },
      envelope: { minRangeM: 500, maxRangeM: 40_000, maxAltitudeM: 25_000 },
      slewRateDegPerS: 90,
      rounds: 1_000_000,
    });
  }
  return makeControlConfig({
    tickPeriodUs: TICK_US,
    radars: [{ id: 'R1' }, { id: 'R2' }],
    launchers,
    tracking: { maxTracks: Math.ceil(tracks * 1.25) + 16 },
    engagement: { maxEngagements: 64 * LAUNCHERS, killAssessmentDelayUs: 200_000 },
  });
}

/** The devices' side: radar reports, launcher status, launches on time for every FIRE. */
class OrbitLoad {
  private readonly seq = new Map<string, number>();
  private readonly pending: { launcherId: string; commandId: number; atUs: number }[] = [];
  fires = 0;

  constructor(
    private readonly config: ControlConfig,
    private readonly orbits: readonly Orbit[],
  ) {}

  private next(source: string): number {
    const v = (this.seq.get(source) ?? 0) + 1;
    this.seq.set(source, v);
    return v;
  }

  fill(k: number, inputs: ControlInput[]): void {
    const now = START_US + k * TICK_US;
    const n = this.orbits.length;
    const scanUs = 1_000_000;
    if (k === 0) {
      inputs.push({
        kind: 'operator-command',
        receivedAtUs: now,
        sourceId: 'operator',
        seq: this.next('operator'),
        requestId: 'bench-free',
        operatorIds: ['bench-a', 'bench-b'],
        command: { verb: 'set-weapons-control', status: 'free' },
      });
    }
    const s = (now - START_US) / 1e6;
    for (let r = 0; r < 2; r++) {
      const phase = (now - START_US + (r * scanUs) / 2) % scanUs;
      const from = Math.ceil(((phase - TICK_US) / scanUs) * n);
      const to = Math.ceil((phase / scanUs) * n);
      for (let j = from; j < to; j++) {
        const i = (j + n) % n;
        const o = this.orbits[i]!;
        const angle = o.phase + o.omegaRadPerS * s;
        const speed = o.radiusM * o.omegaRadPerS;
        const radarId = r === 0 ? 'R1' : 'R2';
        inputs.push({
          kind: 'track-measurement',
          receivedAtUs: now,
          sourceId: radarId,
          seq: this.next(radarId),
          radarId,
          radarTrackId: i,
          measurementTimeUs: now - 500,
          eastM: o.radiusM * Math.cos(angle),
          northM: o.radiusM * Math.sin(angle),
          upM: o.upM,
          eastMps: -speed * Math.sin(angle),
          northMps: speed * Math.cos(angle),
          upMps: 0,
          positionSigmaM: 10,
          velocitySigmaMps: 2,
          quality: 90,
          iff: 'hostile',
        });
      }
    }
    this.config.launchers.forEach((l, li) => {
      if ((now - START_US + li * 7_000) % 100_000 !== 0) return;
      inputs.push({
        kind: 'launcher-status',
        receivedAtUs: now,
        sourceId: l.id,
        seq: this.next(l.id),
        launcherId: l.id,
        statusTimeUs: now,
        lifecycleActive: true,
        linkFresh: true,
        timeSyncUncertaintyUs: 40,
        state: 'armed',
        roundsReady: 200,
        watchdog: 'ok',
        azimuthDeg: 0,
        elevationDeg: 20,
      });
    });
    for (let p = this.pending.length - 1; p >= 0; p--) {
      const f = this.pending[p]!;
      if (f.atUs > now) continue;
      this.pending.splice(p, 1);
      inputs.push({
        kind: 'fire-outcome',
        receivedAtUs: now,
        sourceId: f.launcherId,
        seq: this.next(f.launcherId),
        launcherId: f.launcherId,
        fireCommandId: f.commandId,
        outcome: { result: 'launched', actualLaunchHostUs: f.atUs, roundsRemaining: 200 },
      });
    }
  }

  observe(out: StepOutput): void {
    for (const c of out.commands) {
      if (c.kind !== 'fire') continue;
      this.fires++;
      this.pending.push({ launcherId: c.launcherId, commandId: c.commandId, atUs: c.launchAtHostUs });
    }
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
  const cfg = config(tracks);
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
