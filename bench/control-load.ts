/**
 * The bench around the control core, shared by the capacity (bench/capacity.ts) and memory
 * (bench/memory-probe.ts) benchmarks: the core's config and the devices' side of the load.
 */
import {
  makeControlConfig,
  type ControlCommand,
  type ControlConfig,
  type ControlInput,
  type LauncherConfig,
  type StepOutput,
} from '../src/control/index.js';

/** The core's tick, us. */
export const TICK_US = 1_000;
/** Host clock at tick 0: an hour after start, times beyond V8's small-integer range, as in a long run. */
export const START_US = 3_600_000_000;
/** A 1 s radar scan, us. */
const SCAN_US = 1_000_000;
/** Where a launcher points until it is told to slew (azimuth, elevation, degrees). */
const REST_POINTING: readonly [number, number] = [0, 20];

/**
 * The core's config for `tracks` tracks: radars R1 and R2, `launcherCount` launchers L1.. on a
 * 5 km circle (1,500 m/s interceptors, 40 km reach, a million rounds), room for 25% more tracks
 * than asked, 64 engagements per launcher, kill assessment after 200 ms.
 */
export function controlBenchConfig(tracks: number, launcherCount: number): ControlConfig {
  const launchers: LauncherConfig[] = [];
  for (let i = 0; i < launcherCount; i++) {
    const bearing = (2 * Math.PI * i) / launcherCount;
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
    engagement: { maxEngagements: 64 * launcherCount, killAssessmentDelayUs: 200_000 },
  });
}

/**
 * The devices' side of a control-core bench: weapons FREE at tick 0 (two operators), radars R1
 * and R2 each reporting every target once per 1 s scan (spread evenly over the scan, R2 half a
 * scan behind), every launcher's status every 100 ms (ARMED, 200 rounds), and a launch on time
 * for every FIRE (never a kill). A subclass says where target `i` is ({@link locate}) and may
 * follow the commands ({@link onCommand}) and say where a launcher points ({@link pointing}).
 * Inputs are written into a caller's array, so a window of ticks can be generated ahead.
 */
export abstract class ControlLoad {
  /** FIREs seen by {@link observe}. */
  fires = 0;
  private readonly seq = new Map<string, number>();
  private readonly pendingLaunches: { launcherId: string; commandId: number; atUs: number }[] = [];
  /** Scratch for {@link locate}: east, north, up (m), then their rates (m/s). */
  private readonly kinematics = new Float64Array(6);

  protected constructor(
    protected readonly config: ControlConfig,
    private readonly targetCount: number,
  ) {}

  /** The next sequence number of input source `source` (1, 2, …). */
  protected next(source: string): number {
    const v = (this.seq.get(source) ?? 0) + 1;
    this.seq.set(source, v);
    return v;
  }

  /**
   * Where target `i` is `s` seconds after tick 0: writes east, north, up (m) and their rates
   * (m/s) into `out[0..5]` and returns true, or returns false when the radars cannot see it.
   */
  protected abstract locate(i: number, s: number, out: Float64Array): boolean;

  /** Where launcher `launcherId` points, for its status (default: the rest position). */
  protected pointing(_launcherId: string): readonly [number, number] {
    return REST_POINTING;
  }

  /** Called with every command the core emits, before FIREs are scheduled to launch. */
  protected onCommand(_command: ControlCommand): void {}

  /** Appends the inputs of tick `k` (host time START_US + k ms) to `inputs`. */
  fill(k: number, inputs: ControlInput[]): void {
    const now = START_US + k * TICK_US;
    const n = this.targetCount;
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
    // Radar r reports target i when its scan phase crosses i/N of the scan.
    for (let r = 0; r < 2; r++) {
      const phase = (now - START_US + (r * SCAN_US) / 2) % SCAN_US;
      const from = Math.ceil(((phase - TICK_US) / SCAN_US) * n);
      const to = Math.ceil((phase / SCAN_US) * n);
      const radarId = r === 0 ? 'R1' : 'R2';
      for (let j = from; j < to; j++) this.report((j + n) % n, radarId, now, s, inputs);
    }
    this.config.launchers.forEach((l, li) => {
      if ((now - START_US + li * 7_000) % 100_000 !== 0) return;
      const [azimuthDeg, elevationDeg] = this.pointing(l.id);
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
        azimuthDeg,
        elevationDeg,
      });
    });
    const pending = this.pendingLaunches;
    for (let p = pending.length - 1; p >= 0; p--) {
      const f = pending[p]!;
      if (f.atUs > now) continue;
      pending.splice(p, 1);
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

  /** Radar `radarId`'s measurement of target `i`, when it can see it (10 m, 2 m/s, quality 90, hostile). */
  private report(i: number, radarId: string, now: number, s: number, inputs: ControlInput[]): void {
    const k = this.kinematics;
    if (!this.locate(i, s, k)) return;
    inputs.push({
      kind: 'track-measurement',
      receivedAtUs: now,
      sourceId: radarId,
      seq: this.next(radarId),
      radarId,
      radarTrackId: i,
      measurementTimeUs: now - 500,
      eastM: k[0]!,
      northM: k[1]!,
      upM: k[2]!,
      eastMps: k[3]!,
      northMps: k[4]!,
      upMps: k[5]!,
      positionSigmaM: 10,
      velocitySigmaMps: 2,
      quality: 90,
      iff: 'hostile',
    });
  }

  /** The launchers obey: every FIRE launches at its launch time (reported by a later fill). */
  observe(out: StepOutput): void {
    for (const c of out.commands) {
      this.onCommand(c);
      if (c.kind !== 'fire') continue;
      this.fires++;
      this.pendingLaunches.push({ launcherId: c.launcherId, commandId: c.commandId, atUs: c.launchAtHostUs });
    }
  }
}
