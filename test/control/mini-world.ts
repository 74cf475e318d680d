/**
 * A small truth world for end-to-end tests of the core alone (the real firmware simulator lives
 * in firmware-sim/ and is wired by the lead): targets with constant-velocity or ballistic truth,
 * radars that report every living target once per scan, and launchers that obey SLEW / FIRE /
 * ABORT / SAFE exactly on time and fly the interceptor straight at constant speed. A kill is a
 * closest approach within `lethalRadiusM` at the planned intercept instant.
 */
import type { ControlCommand, ControlConfig, ControlInput, IffClass, NakReason } from '../../src/control/index.js';
import { propagate, type Truth } from './fixtures.js';

export interface WorldTarget {
  truth: Truth;
  iff: IffClass;
  /** Radars that see it (default: all). */
  radars?: readonly string[];
  /** Truth replaced from this instant (a manoeuvre), expressed at t = 0 like `truth`. */
  manoeuvre?: { atUs: number; truth: Truth };
}

interface PendingFire {
  commandId: number;
  launcherId: string;
  trackId: number;
  launchAtUs: number;
  interceptAtUs: number;
  aim: [number, number, number];
  launched: boolean;
}

export interface WorldOptions {
  scanPeriodUs?: number;
  statusPeriodUs?: number;
  lethalRadiusM?: number;
  rounds?: number;
  /** Whether a SLEW points the launcher at once (default true); false leaves it where it is. */
  slewFollows?: boolean;
  /** Launchers that answer FIRE at all (default: all). */
  silentLaunchers?: readonly string[];
  /** Launchers that NAK every FIRE with this reason, one tick later (a FIRE storm's cause). */
  refusingLaunchers?: Readonly<Record<string, NakReason>>;
  /** Time-sync uncertainty every launcher status reports, us (default 20). */
  syncUncertaintyUs?: number;
}

export class MiniWorld {
  readonly killed = new Set<number>();
  readonly fires: PendingFire[] = [];
  readonly closestApproachM: number[] = [];
  private readonly seq = new Map<string, number>();
  private readonly pendingDrops: ControlInput[] = [];
  private readonly rounds = new Map<string, number>();
  private readonly pointing = new Map<string, [number, number]>();
  private readonly safe = new Set<string>();
  private readonly scanUs: number;
  private readonly statusUs: number;

  constructor(
    readonly config: ControlConfig,
    readonly targets: WorldTarget[],
    readonly options: WorldOptions = {},
  ) {
    this.scanUs = options.scanPeriodUs ?? 500_000;
    this.statusUs = options.statusPeriodUs ?? 100_000;
    for (const l of config.launchers) this.rounds.set(l.id, options.rounds ?? l.rounds);
  }

  private next(source: string): number {
    const n = (this.seq.get(source) ?? 0) + 1;
    this.seq.set(source, n);
    return n;
  }

  truthAt(i: number, tUs: number): Truth {
    const target = this.targets[i]!;
    if (target.manoeuvre && tUs >= target.manoeuvre.atUs) return propagate(target.manoeuvre.truth, tUs);
    return propagate(target.truth, tUs);
  }

  /** Inputs the devices produce during the tick ending at `nowUs` (period `tickUs`). */
  inputs(nowUs: number, tickUs: number): ControlInput[] {
    const out: ControlInput[] = this.pendingDrops.splice(0);
    const from = nowUs - tickUs;
    const crossed = (periodUs: number, phaseUs: number): boolean =>
      Math.floor((nowUs - phaseUs) / periodUs) !== Math.floor((from - phaseUs) / periodUs) || nowUs === 0;
    this.config.radars.forEach((radar, ri) => {
      if (!crossed(this.scanUs, (ri * this.scanUs) / 2)) return;
      this.targets.forEach((target, ti) => {
        if (this.killed.has(ti)) return;
        if (target.radars && !target.radars.includes(radar.id)) return;
        const p = this.truthAt(ti, nowUs);
        if (p.upM < 0) return;
        out.push({
          kind: 'track-measurement',
          receivedAtUs: nowUs,
          sourceId: radar.id,
          seq: this.next(radar.id),
          radarId: radar.id,
          radarTrackId: 100 * (ri + 1) + ti,
          measurementTimeUs: nowUs,
          eastM: p.eastM,
          northM: p.northM,
          upM: p.upM,
          eastMps: p.eastMps,
          northMps: p.northMps,
          upMps: p.upMps,
          positionSigmaM: 5,
          velocitySigmaMps: 1,
          quality: 90,
          iff: target.iff,
        });
      });
    });
    for (const fire of this.fires) {
      if (!fire.launched && nowUs >= fire.launchAtUs) {
        fire.launched = true;
        const left = (this.rounds.get(fire.launcherId) ?? 0) - 1;
        this.rounds.set(fire.launcherId, left);
        out.push({
          kind: 'fire-outcome',
          receivedAtUs: nowUs,
          sourceId: fire.launcherId,
          seq: this.next(fire.launcherId),
          launcherId: fire.launcherId,
          fireCommandId: fire.commandId,
          outcome: { result: 'launched', actualLaunchHostUs: fire.launchAtUs, roundsRemaining: left },
        });
      }
    }
    this.assessInterceptors(nowUs);
    this.config.launchers.forEach((l, li) => {
      if (!crossed(this.statusUs, li * 1_000)) return;
      const [az, el] = this.pointing.get(l.id) ?? [0, 10];
      out.push({
        kind: 'launcher-status',
        receivedAtUs: nowUs,
        sourceId: l.id,
        seq: this.next(l.id),
        launcherId: l.id,
        statusTimeUs: nowUs,
        lifecycleActive: true,
        linkFresh: true,
        timeSyncUncertaintyUs: this.options.syncUncertaintyUs ?? 20,
        state: this.safe.has(l.id) ? 'safe' : 'armed',
        roundsReady: this.rounds.get(l.id) ?? 0,
        watchdog: 'ok',
        azimuthDeg: az,
        elevationDeg: el,
      });
    });
    return out;
  }

  /** Interceptors whose intercept instant passed: kill when the target is within the lethal radius. */
  private assessInterceptors(nowUs: number): void {
    for (const fire of this.fires) {
      if (!fire.launched || fire.interceptAtUs > nowUs || fire.interceptAtUs < 0) continue;
      let best = Infinity;
      let bestTarget = -1;
      this.targets.forEach((_, ti) => {
        if (this.killed.has(ti)) return;
        const p = this.truthAt(ti, fire.interceptAtUs);
        const d = Math.hypot(p.eastM - fire.aim[0], p.northM - fire.aim[1], p.upM - fire.aim[2]);
        if (d < best) {
          best = d;
          bestTarget = ti;
        }
      });
      this.closestApproachM.push(best);
      fire.interceptAtUs = -1;
      if (bestTarget >= 0 && best <= (this.options.lethalRadiusM ?? 20)) {
        this.killed.add(bestTarget);
        this.config.radars.forEach((radar, ri) => {
          this.pendingDrops.push({
            kind: 'track-drop',
            receivedAtUs: nowUs + 1,
            sourceId: radar.id,
            seq: this.next(radar.id),
            radarId: radar.id,
            radarTrackId: 100 * (ri + 1) + bestTarget,
            dropTimeUs: nowUs,
            reason: 'destroyed',
          });
        });
      }
    }
  }

  /** The launchers obey the core's commands. */
  obey(commands: readonly ControlCommand[], nowUs: number): void {
    for (const c of commands) {
      if (this.options.silentLaunchers?.includes(c.launcherId)) continue;
      switch (c.kind) {
        case 'slew':
          if (this.options.slewFollows === false) break;
          this.pointing.set(c.launcherId, [c.azimuthDeg, c.elevationDeg]);
          break;
        case 'fire': {
          const nak = this.options.refusingLaunchers?.[c.launcherId];
          if (nak !== undefined) {
            this.pendingDrops.push({
              kind: 'fire-outcome',
              receivedAtUs: nowUs + 1,
              sourceId: c.launcherId,
              seq: this.next(c.launcherId),
              launcherId: c.launcherId,
              fireCommandId: c.commandId,
              outcome: { result: 'refused', nakReason: nak },
            });
            break;
          }
          this.fires.push({
            commandId: c.commandId,
            launcherId: c.launcherId,
            trackId: c.trackId,
            launchAtUs: c.launchAtHostUs,
            interceptAtUs: c.interceptAtHostUs,
            aim: [c.aimEastM, c.aimNorthM, c.aimUpM],
            launched: false,
          });
          break;
        }
        case 'abort':
        case 'safe': {
          if (c.kind === 'safe') this.safe.add(c.launcherId);
          const i = this.fires.findIndex(
            (f) =>
              !f.launched && f.launcherId === c.launcherId && (c.kind === 'safe' || f.commandId === c.fireCommandId),
          );
          if (i >= 0 && nowUs < this.fires[i]!.launchAtUs) {
            const [f] = this.fires.splice(i, 1);
            this.pendingDrops.push({
              kind: 'fire-outcome',
              receivedAtUs: nowUs + 1,
              sourceId: c.launcherId,
              seq: this.next(c.launcherId),
              launcherId: c.launcherId,
              fireCommandId: f!.commandId,
              outcome: { result: 'aborted', roundsRemaining: this.rounds.get(c.launcherId) ?? 0 },
            });
          }
          break;
        }
      }
    }
  }
}

export interface RunLog {
  events: import('../../src/control/index.js').ControlEvent[];
  commands: (ControlCommand & { atUs: number })[];
}

/**
 * Steps `state` from `fromUs` to `untilUs` every `tickUs`, feeding the world's inputs (plus any
 * `extra(nowUs)` inputs) and letting the world obey the commands. Returns every output.
 */
export function runWorld(
  step: (inputs: readonly ControlInput[], nowUs: number) => import('../../src/control/index.js').StepOutput,
  world: MiniWorld,
  opts: { fromUs?: number; untilUs: number; tickUs: number; extra?: (nowUs: number, log: RunLog) => ControlInput[] },
  log: RunLog = { events: [], commands: [] },
): RunLog {
  for (let now = opts.fromUs ?? 0; now <= opts.untilUs; now += opts.tickUs) {
    const inputs = [...world.inputs(now, opts.tickUs), ...(opts.extra?.(now, log) ?? [])];
    const out = step(inputs, now);
    log.events.push(...out.events);
    for (const c of out.commands) log.commands.push({ ...c, atUs: now });
    world.obey(out.commands, now);
  }
  return log;
}
