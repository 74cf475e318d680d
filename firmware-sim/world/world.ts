import type { Scenario } from '../../src/config/scenario-schema.js';
import { type Clock, SYNC_ONLY, type TimerHandle } from '../../src/time/clock.js';
import { startPeriodic } from '../periodic-timer.js';
import type { TruthSink } from '../truth/truth-sink.js';
import { type Approach, ApproachSweep } from './approach-sweep.js';
import { type InterceptorEnd, Interceptor } from './interceptor.js';
import { SimTarget } from './sim-target.js';
import { type MutableVec3, type Vec3, norm, scratchVec, sub, toEnu } from './vector3.js';

export { SimTarget } from './sim-target.js';

/** Default physics step while interceptors fly (kills are found analytically inside a step). */
export const DEFAULT_PHYSICS_STEP_US = 10_000;

/** What the launcher firmware hands the world when a FIRE executes. */
export interface LaunchRequest {
  readonly launcherId: string;
  readonly commandId: number;
  readonly trackId: number;
  readonly origin: Vec3;
  readonly aim: Vec3;
  readonly speedMps: number;
  readonly lethalRadiusM: number;
  readonly maxFlightTimeS: number;
  /** World (shared-clock) instant the FIRE executed (ignition); the interceptor leaves now. */
  readonly executedSharedUs: number;
  readonly executeAtUs: number;
  readonly launcherTimeUs: number;
  /** executeAtUs as a world (shared-clock) instant. */
  readonly plannedSharedUs: number;
  readonly receivedSharedUs: number;
  readonly roundsRemaining: number;
}

/** Options of {@link World}. */
export interface WorldOptions {
  readonly scenario: Scenario;
  readonly clock: Clock;
  readonly truth: TruthSink;
  /** Shared-clock instant of power-on: scenario time 0. */
  readonly powerOnUs: number;
  readonly physicsStepUs?: number;
}

/** Truth totals (the safety counters are counted from these, not from the host's belief). */
export interface WorldTotals {
  hostiles: number;
  hostilesKilled: number;
  leakers: number;
  friendlyKills: number;
  launches: number;
  duplicateExecutions: number;
  firesWhileLinkDown: number;
}

/**
 * The simulated world: target kinematics in closed form, interceptors, closest approaches found
 * analytically per step, kills, ground impacts and the truth log. The physics is lazy: whoever
 * looks at the world (a radar scan, a truth sample, an impact, the step timer while
 * interceptors fly) first calls `advanceTo(now)`, so every observer sees a consistent world.
 */
export class World {
  readonly targets: readonly SimTarget[];
  readonly interceptors: Interceptor[] = [];
  readonly totals: WorldTotals;
  readonly powerOnUs: number;
  private readonly clock: Clock;
  private readonly truth: TruthSink;
  private readonly stepUs: number;
  private readonly timers: TimerHandle[] = [];
  private stepTimer: TimerHandle | undefined;
  private advancedUs: number;
  private readonly executions = new Map<string, number>();
  private interceptorCount = 0;
  private readonly killListeners: ((targetId: string, atUs: number) => void)[] = [];
  private running = false;
  private readonly sweep: ApproachSweep;
  private readonly onDetonation = (d: Approach): void => this.detonate(d);
  private readonly samplePosition: MutableVec3 = scratchVec();
  private readonly sampleVelocity: MutableVec3 = scratchVec();

  constructor(private readonly options: WorldOptions) {
    this.clock = options.clock;
    this.truth = options.truth;
    this.powerOnUs = options.powerOnUs;
    this.advancedUs = options.powerOnUs;
    this.stepUs = options.physicsStepUs ?? DEFAULT_PHYSICS_STEP_US;
    const horizonUs = options.powerOnUs + options.scenario.durationS * 1e6;
    this.targets = options.scenario.targets.map((spec, i) => new SimTarget(spec, i, options.powerOnUs, horizonUs));
    this.sweep = new ApproachSweep(this.targets);
    this.totals = {
      hostiles: this.targets.filter((t) => t.spec.iff === 'hostile').length,
      hostilesKilled: 0,
      leakers: 0,
      friendlyKills: 0,
      launches: 0,
      duplicateExecutions: 0,
      firesWhileLinkDown: 0,
    };
  }

  /** Scenario time (µs since power-on) of a shared-clock instant: the `tUs` of truth records. */
  scenarioUs(sharedUs = this.clock.nowUs()): number {
    return sharedUs - this.powerOnUs;
  }

  /** Schedule ground impacts and truth sampling. */
  start(): void {
    this.running = true;
    for (const target of this.targets) {
      if (target.impactUs !== undefined) {
        this.timers.push(this.clock.setTimerAt(target.impactUs, () => this.onImpact(target)));
      }
    }
    const sampleUs = this.options.scenario.truthSampleMs * 1000;
    // Sampling only writes truth records (buffered): no async work.
    this.timers.push(
      startPeriodic(this.clock, this.powerOnUs, sampleUs, () => {
        this.sampleTargets();
        return SYNC_ONLY;
      }),
    );
  }

  /** Cancel every timer. Interceptors still flying are logged as `run-end`. */
  finish(): void {
    if (!this.running) return;
    this.running = false;
    const now = this.clock.nowUs();
    this.advanceTo(now);
    for (const interceptor of this.interceptors) {
      if (interceptor.alive) this.endInterceptor(interceptor, 'run-end', now);
    }
    for (const timer of this.timers) timer.cancel();
    this.stepTimer?.cancel();
    this.stepTimer = undefined;
  }

  /** Targets flying at world time `tUs` (after advancing the physics to it), in scenario order. */
  flyingTargets(tUs = this.clock.nowUs()): SimTarget[] {
    this.advanceTo(tUs);
    return this.targets.filter((t) => t.isFlyingAt(tUs));
  }

  /** Count a FIRE received while the link was down (written by the launcher). */
  noteFireWhileLinkDown(): void {
    this.totals.firesWhileLinkDown++;
  }

  /** An interceptor leaves the rail now; logs the launch and any duplicate execution. Returns its id. */
  launch(request: LaunchRequest): string {
    const now = this.clock.nowUs();
    this.advanceTo(now);
    const key = `${request.launcherId}:${request.commandId}`;
    const executions = (this.executions.get(key) ?? 0) + 1;
    this.executions.set(key, executions);
    const id = `${request.launcherId}#${++this.interceptorCount}`;
    const interceptor = new Interceptor({
      id,
      launcherId: request.launcherId,
      commandId: request.commandId,
      origin: request.origin,
      aim: request.aim,
      speedMps: request.speedMps,
      lethalRadiusM: request.lethalRadiusM,
      motionStartUs: now,
      maxFlightTimeS: request.maxFlightTimeS,
    });
    this.interceptors.push(interceptor);
    this.sweep.track(interceptor);
    this.totals.launches++;
    this.truth.write({
      kind: 'launch',
      tUs: this.scenarioUs(now),
      launcherId: request.launcherId,
      commandId: request.commandId,
      trackId: request.trackId,
      interceptorId: id,
      executeAtUs: request.executeAtUs,
      launcherTimeUs: request.launcherTimeUs,
      executedUs: this.scenarioUs(request.executedSharedUs),
      plannedWorldUs: this.scenarioUs(request.plannedSharedUs),
      errorUs: request.executedSharedUs - request.plannedSharedUs,
      aim: toEnu(request.aim),
      roundsRemaining: request.roundsRemaining,
      receivedUs: this.scenarioUs(request.receivedSharedUs),
    });
    if (executions > 1) {
      this.totals.duplicateExecutions++;
      this.truth.write({
        kind: 'duplicate-execution',
        tUs: this.scenarioUs(now),
        launcherId: request.launcherId,
        commandId: request.commandId,
        executions,
      });
    }
    this.timers.push(
      this.clock.setTimerAt(interceptor.naturalEndUs, () => {
        this.advanceTo(this.clock.nowUs());
        if (interceptor.alive) this.endInterceptor(interceptor, interceptor.naturalEnd, this.clock.nowUs());
      }),
    );
    this.ensureStepping();
    return id;
  }

  /**
   * Move the interceptor physics to `tUs`: for every interceptor and flying target, the exact
   * closest approach over the interval; detonations in time order (a proximity fuze fires at
   * the closest approach inside the lethal radius, destroying every target then inside it).
   * See {@link ApproachSweep}.
   */
  advanceTo(tUs: number): void {
    const fromUs = this.advancedUs;
    if (tUs <= fromUs) return;
    this.advancedUs = tUs;
    this.sweep.advance(fromUs, tUs, this.onDetonation);
  }

  /** The fuze fires: the target it found dies, and so does every other target then inside the lethal radius. */
  private detonate(d: Approach): void {
    const { interceptor, atUs } = d;
    const center = interceptor.positionAt(atUs);
    this.kill(d.target, interceptor, d.missM, atUs);
    for (const target of this.targets) {
      if (target === d.target || !target.isFlyingAt(atUs)) continue;
      const missM = norm(sub(target.positionAt(atUs), center));
      if (missM <= interceptor.spec.lethalRadiusM) this.kill(target, interceptor, missM, atUs);
    }
    interceptor.best = { targetId: d.target.id, missM: d.missM, atUs };
    this.endInterceptor(interceptor, 'detonated', atUs);
  }

  /** Call `listener(targetId, atUs)` for every target this world's interceptors destroy (shared-clock µs). */
  onKill(listener: (targetId: string, atUs: number) => void): void {
    this.killListeners.push(listener);
  }

  /**
   * Another world's interceptor destroyed `targetId` at shared-clock `atUs` (a joint run: one sky
   * simulated once per node): it ends here too, logged as `destroyed-elsewhere` — never counted
   * as this world's kill. A target already ended, or not flying then, is left alone.
   */
  destroyElsewhere(targetId: string, atUs: number): void {
    const target = this.targets.find((t) => t.id === targetId);
    if (target === undefined || target.destroyedUs !== undefined || !target.isFlyingAt(atUs)) return;
    target.markDestroyed(atUs);
    this.truth.write({
      kind: 'destroyed-elsewhere',
      tUs: this.scenarioUs(atUs),
      targetId,
      iff: target.spec.iff,
      position: toEnu(target.positionAt(atUs)),
    });
  }

  private kill(target: SimTarget, interceptor: Interceptor, missM: number, atUs: number): void {
    target.markDestroyed(atUs);
    for (const listener of this.killListeners) listener(target.id, atUs);
    const iff = target.spec.iff;
    if (iff === 'hostile') this.totals.hostilesKilled++;
    const common = {
      tUs: this.scenarioUs(atUs),
      targetId: target.id,
      interceptorId: interceptor.id,
      launcherId: interceptor.spec.launcherId,
      commandId: interceptor.spec.commandId,
    };
    this.truth.write({ kind: 'kill', ...common, iff, missM, position: toEnu(target.positionAt(atUs)) });
    if (iff === 'friendly') {
      this.totals.friendlyKills++;
      this.truth.write({ kind: 'friendly-kill', ...common });
    }
  }

  private endInterceptor(interceptor: Interceptor, end: InterceptorEnd, atUs: number): void {
    interceptor.alive = false;
    const best = interceptor.best;
    this.truth.write({
      kind: 'closest-approach',
      tUs: this.scenarioUs(atUs),
      interceptorId: interceptor.id,
      launcherId: interceptor.spec.launcherId,
      commandId: interceptor.spec.commandId,
      targetId: best?.targetId ?? null,
      missM: best?.missM ?? null,
      atUs: best === undefined ? null : this.scenarioUs(best.atUs),
      end,
    });
  }

  private onImpact(target: SimTarget): void {
    this.advanceTo(this.clock.nowUs());
    if (target.destroyedUs !== undefined || target.impactLogged || target.impactUs === undefined) return;
    target.impactLogged = true;
    const leaker = target.spec.iff === 'hostile';
    if (leaker) this.totals.leakers++;
    this.truth.write({
      kind: 'impact',
      tUs: this.scenarioUs(target.impactUs),
      targetId: target.id,
      iff: target.spec.iff,
      leaker,
      position: toEnu(target.positionAt(target.impactUs)),
    });
  }

  private sampleTargets(): void {
    const now = this.clock.nowUs();
    this.advanceTo(now);
    for (const target of this.targets) {
      if (!target.isFlyingAt(now)) continue;
      const p = target.positionInto(now, this.samplePosition);
      const v = target.velocityInto(now, this.sampleVelocity);
      this.truth.write({
        kind: 'target',
        tUs: this.scenarioUs(now),
        targetId: target.id,
        iff: target.spec.iff,
        eastM: p.x,
        northM: p.y,
        upM: p.z,
        eastMps: v.x,
        northMps: v.y,
        upMps: v.z,
      });
    }
  }

  private ensureStepping(): void {
    if (this.stepTimer !== undefined || !this.running) return;
    // The physics is synchronous (the truth sink only buffers): the step starts no async work.
    const step = (): typeof SYNC_ONLY => {
      this.stepTimer = undefined;
      this.advanceTo(this.clock.nowUs());
      if (this.running && this.sweep.anyAlive) {
        this.stepTimer = this.clock.setTimer(this.stepUs, step);
      }
      return SYNC_ONLY;
    };
    this.stepTimer = this.clock.setTimer(this.stepUs, step);
  }

  /** Write the run-end totals. */
  writeRunEnd(): void {
    const now = this.clock.nowUs();
    this.truth.write({
      kind: 'run-end',
      tUs: this.scenarioUs(now),
      ...this.totals,
      targetsFlying: this.targets.filter((t) => t.isFlyingAt(now)).length,
    });
  }
}
