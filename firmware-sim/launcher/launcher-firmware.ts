import type { ScenarioLauncher } from '../../src/config/scenario-schema.js';
import type { LAUNCHER_STATES, WATCHDOG_STATES } from '../../src/protocol/catalogue/launcher-messages.js';
import type { Message, MessageBody } from '../../src/protocol/message-types.js';
import { FIRE_LATE_TOLERANCE_US, FIRE_MAX_LEAD_US, LAUNCHER_WATCHDOG_US } from '../../src/protocol/timing-rules.js';
import type { TimerHandle } from '../../src/time/clock.js';
import { type BehaviourContext, BehaviourChain, type NakReason } from '../behaviours/behaviour.js';
import { GATE_BEHAVIOURS, SESSION_BEHAVIOURS } from '../behaviours/common-behaviours.js';
import { SimulatedDevice, type SimulatedDeviceOptions, isRetransmission } from '../device/simulated-device.js';
import { setPreciseTimerAt } from '../periodic-timer.js';
import type { FireCancelledRecord } from '../../src/truth/truth-record.js';
import { type Vec3, bearingOf, fromEnu, norm, sub, vec } from '../world/vector3.js';
import type { World } from '../world/world.js';
import { LAUNCHER_BEHAVIOURS } from './launcher-behaviours.js';
import { LauncherWatchdog } from './launcher-watchdog.js';
import { SlewModel } from './slew-model.js';

export type LauncherState = (typeof LAUNCHER_STATES)[number];
export type WatchdogState = (typeof WATCHDOG_STATES)[number];
type FireMessage = Extract<Message, { type: 'FIRE' }>;
type CancelCause = FireCancelledRecord['cause'];

/** An accepted FIRE: pending until its execute-at time, then executing (FIRING) until the interceptor is away. */
export interface AcceptedFire {
  readonly commandId: number;
  readonly trackId: number;
  /** Launcher clock. */
  readonly executeAtUs: number;
  readonly aim: Vec3;
  /** Shared-clock instant the FIRE was received. */
  readonly receivedUs: number;
}

interface Firing {
  readonly fire: AcceptedFire;
  readonly executedSharedUs: number;
  readonly launcherTimeUs: number;
  readonly timer: TimerHandle;
}

/** Options of {@link SimulatedLauncher}. */
export interface SimulatedLauncherOptions extends SimulatedDeviceOptions {
  readonly spec: ScenarioLauncher;
  readonly world: World;
}

/**
 * Launcher controller firmware, as docs/protocol.md §12 states it (ICD-LNCH-001..012):
 *
 * - power-on SAFE; the watchdog runs from power-on in every state: 250 ms without a valid host
 *   HEARTBEAT → watchdog tripped, latched until an accepted ARM, SAFE (FAULT stays FAULT), any
 *   pending or executing FIRE aborted;
 * - ARM (host HEARTBEAT within 250 ms, else NAK no-heartbeat): SAFE → ARMING → (armingMs) ARMED;
 *   ACK with no effect in ARMING/ARMED; NAK bad-state in FIRING and FAULT;
 * - FIRE accepted in ARMED only (one pending, a round ready, execute-at in [r, r + 30 s], aim
 *   point within the interceptor's reach); at executeAtUs in the launcher clock: FIRING for the
 *   launch delay, then the interceptor is away: FIRE_REPORT launched (actual time = execution),
 *   rounds − 1, ARMED. SAFE, the watchdog or a fault during FIRING aborts the launch;
 * - out of rounds the launcher stays ARMED with 0 rounds (FIRE → NAK no-rounds): running dry is
 *   not a safety event; SAFE stays what the host or the watchdog commands;
 * - SAFE always accepted (before HELLO too), at once; FAULT stays FAULT until its fault cleared;
 * - FAULT: a misfire (pointing outside `pointingToleranceDeg` at execute-at, when set) or the
 *   test API `enterFault()`; every command but SAFE is refused bad-state (ICD-LNCH-012).
 */
export class SimulatedLauncher extends SimulatedDevice<SimulatedLauncher> {
  readonly kind = 'launcher' as const;
  readonly spec: ScenarioLauncher;
  readonly behaviours: BehaviourChain<SimulatedLauncher>;
  readonly slew: SlewModel;
  readonly position: Vec3;
  private readonly world: World;
  private currentState: LauncherState = 'safe';
  private watchdogState: WatchdogState = 'ok';
  private faultCleared = true;
  private rounds: number;
  private pendingFire: (AcceptedFire & { readonly timer: TimerHandle }) | undefined;
  private firing: Firing | undefined;
  private armingTimer: TimerHandle | undefined;
  private readonly watchdogTimer = new LauncherWatchdog(this.clock, this.timers, () => this.tripWatchdog());

  constructor(options: SimulatedLauncherOptions) {
    super(options);
    this.spec = options.spec;
    this.world = options.world;
    this.rounds = options.spec.rounds;
    this.position = fromEnu(options.spec.position);
    this.slew = new SlewModel(
      options.spec.slewRateDegPerS,
      { azimuthDeg: options.spec.initialAzimuthDeg, elevationDeg: options.spec.initialElevationDeg },
      options.powerOnUs,
    );
    this.behaviours = new BehaviourChain<SimulatedLauncher>([
      ...GATE_BEHAVIOURS,
      ...LAUNCHER_BEHAVIOURS,
      ...SESSION_BEHAVIOURS,
    ]);
    this.onHostMessage(({ message }) => {
      if (message.type === 'FIRE' && this.faults.outage.isDown(this.clock.nowUs())) {
        this.world.noteFireWhileLinkDown();
        this.truth.write({
          kind: 'fire-while-link-down',
          tUs: this.world.scenarioUs(),
          launcherId: this.id,
          commandId: message.commandId,
        });
      }
    });
  }

  get state(): LauncherState {
    return this.currentState;
  }

  get watchdog(): WatchdogState {
    return this.watchdogState;
  }

  get roundsReady(): number {
    return this.rounds;
  }

  /** The FIRE waiting for its execute-at time, if any. */
  get pending(): AcceptedFire | undefined {
    return this.pendingFire;
  }

  /** Whether a host HEARTBEAT arrived within `windowUs` (ICD-LNCH-002). */
  hostHeartbeatWithin(windowUs: number): boolean {
    const last = this.lastHostHeartbeatUs;
    return last !== undefined && this.clock.nowUs() - last <= windowUs;
  }

  /** SAFE → ARMING → ARMED after armingMs; clears a latched watchdog (ICD-LNCH-002/004). */
  beginArming(): void {
    if (this.currentState !== 'safe') return;
    this.watchdogState = 'ok';
    this.setState('arming', 'arm');
    this.armingTimer = this.timers.after(this.deviceClock.toSharedDurationUs(this.spec.armingMs * 1000), () => {
      this.armingTimer = undefined;
      if (this.currentState === 'arming') this.setState('armed', 'armed');
    });
  }

  /**
   * SAFE at once from any state (ICD-LNCH-003), aborting a pending or executing FIRE; FAULT
   * stays FAULT until its fault has cleared (ICD-LNCH-012).
   */
  goSafe(cause: 'safe' | 'watchdog'): void {
    this.cancelFires(cause);
    this.armingTimer?.cancel();
    this.armingTimer = undefined;
    // FAULT stays FAULT: on the watchdog always, on SAFE until the fault has cleared (ICD-LNCH-012).
    if (this.currentState === 'fault' && (cause === 'watchdog' || !this.faultCleared)) {
      this.setState('fault', cause);
      return;
    }
    this.setState('safe', cause);
  }

  /** A detected fault: FAULT, fires aborted (ICD-LNCH-012). Test API; also a misfire. */
  enterFault(): void {
    this.faultCleared = false;
    this.cancelFires('fault');
    this.armingTimer?.cancel();
    this.armingTimer = undefined;
    this.setState('fault', 'fault');
  }

  /** The fault has cleared: the next SAFE returns the launcher to SAFE. Test API. */
  clearFault(): void {
    this.faultCleared = true;
  }

  /**
   * Why a FIRE must be refused now, or undefined to accept it — docs/protocol.md §12.3 steps
   * 4–9 (ICD-LNCH-005/006/007, ICD-LNCH-012); steps 1–3 are the gate behaviours.
   */
  fireRefusal(message: FireMessage, receivedAtDeviceUs: number): NakReason | undefined {
    if (this.currentState === 'fault') return 'bad-state';
    if (this.currentState !== 'armed') {
      if (this.watchdogState === 'tripped') return 'watchdog-latched';
      return this.currentState === 'firing' ? 'busy' : 'bad-state';
    }
    if (this.rounds === 0) return 'no-rounds';
    if (this.pendingFire !== undefined) return 'busy';
    if (message.executeAtUs < receivedAtDeviceUs - FIRE_LATE_TOLERANCE_US) return 'late';
    if (message.executeAtUs - receivedAtDeviceUs > FIRE_MAX_LEAD_US) return 'too-far-ahead';
    const aim = vec(message.aimEastM, message.aimNorthM, message.aimUpM);
    if (aim.z < 0 || norm(sub(aim, this.position)) > this.spec.speedMps * this.spec.maxFlightTimeS) {
      return 'out-of-envelope';
    }
    return undefined;
  }

  /** Accept a FIRE: it executes at executeAtUs in the launcher clock (ICD-LNCH-009). */
  scheduleFire(message: FireMessage, receivedUs: number): void {
    const aim = vec(message.aimEastM, message.aimNorthM, message.aimUpM);
    this.slew.command(bearingOf(sub(aim, this.position)), this.clock.nowUs());
    const atUs = this.deviceClock.toSharedUs(message.executeAtUs);
    const timer = this.timers.track(
      (fire) => setPreciseTimerAt(this.clock, atUs, fire),
      () => this.execute(),
    );
    this.pendingFire = {
      commandId: message.commandId,
      trackId: message.trackId,
      executeAtUs: message.executeAtUs,
      aim,
      receivedUs,
      timer,
    };
    this.sendStatus();
  }

  /** Cancel the pending FIRE named (ICD-LNCH-010); false when it is not the one pending. */
  abortFire(fireCommandId: number): boolean {
    if (this.pendingFire?.commandId !== fireCommandId) return false;
    this.cancelFires('abort');
    this.sendStatus();
    return true;
  }

  /** Whether a FIRE is pending or executing (SLEW is then refused busy). */
  get fireInProgress(): boolean {
    return this.pendingFire !== undefined || this.firing !== undefined;
  }

  protected override onPowerOn(): void {
    this.armWatchdog(); // ICD-LNCH-004: from power-on, in every state
  }

  protected override onHostHeartbeat(): void {
    this.armWatchdog();
  }

  protected override onAnswered(
    ctx: BehaviourContext<SimulatedLauncher>,
    outcome: 'ack' | 'replayed' | NakReason,
  ): void {
    const message = ctx.message;
    if (message.type !== 'FIRE') return;
    this.truth.write({
      kind: 'fire-received',
      tUs: this.world.scenarioUs(ctx.receivedAtUs),
      launcherId: this.id,
      commandId: message.commandId,
      seq: message.seq,
      retransmission: isRetransmission(message),
      executeAtUs: message.executeAtUs,
      launcherTimeUs: ctx.receivedAtDeviceUs,
      outcome: outcome === 'ack' ? 'accepted' : outcome === 'replayed' ? 'replayed' : `nak:${outcome}`,
      linkDown: this.faults.outage.isDown(ctx.receivedAtUs),
    });
  }

  protected statusMessage(deviceUs: number): MessageBody {
    const pointing = this.slew.pointingAt(this.clock.nowUs());
    return {
      type: 'LAUNCHER_STATUS',
      deviceTimeUs: deviceUs,
      state: this.currentState,
      roundsReady: this.rounds,
      azimuthDeg: pointing.azimuthDeg,
      elevationDeg: pointing.elevationDeg,
      watchdog: this.watchdogState,
      pendingFireCommandId: this.pendingFire?.commandId ?? 0,
      lastCommandId: this.lastCommandId,
    };
  }

  protected override onPowerOff(): void {
    this.pendingFire = undefined;
    this.firing = undefined;
  }

  /**
   * The watchdog runs in the launcher's own clock from the last valid heartbeat (or power-on);
   * a check late because the simulator's process stalled looks again (launcher-watchdog.ts).
   */
  private armWatchdog(): void {
    this.watchdogTimer.arm(this.deviceClock.toSharedDurationUs(LAUNCHER_WATCHDOG_US));
  }

  private tripWatchdog(): void {
    const settled = this.currentState === 'safe' || this.currentState === 'fault';
    if (this.watchdogState === 'tripped' && settled && !this.fireInProgress) return;
    this.watchdogState = 'tripped';
    this.goSafe('watchdog'); // logs and sends status even when already SAFE: the watchdog field changed
  }

  /**
   * executeAtUs reached: FIRING for the launch delay, then the interceptor is away. The execution
   * instant is read first, once, and both clocks' times are taken from it (the precise timer
   * calls this the moment its wait ends); the truth writes, status frame and slew check come
   * after and do not move it.
   */
  private execute(): void {
    const now = this.clock.nowUs();
    const fire = this.pendingFire;
    if (fire === undefined) return;
    this.pendingFire = undefined;
    const launcherTimeUs = this.deviceClock.toDeviceUs(now);
    const tolerance = this.spec.pointingToleranceDeg;
    if (tolerance !== undefined && this.slew.errorDeg(bearingOf(sub(fire.aim, this.position)), now) > tolerance) {
      this.report(fire.commandId, 'misfire', launcherTimeUs);
      this.logCancelled(fire.commandId, 'misfire', 'misfire-pointing', false);
      this.enterFault();
      this.clearFault(); // a misfire is over once detected: SAFE recovers
      return;
    }
    const timer = this.timers.after(this.spec.launchDelayMs * 1000, () => this.interceptorAway());
    this.firing = { fire, executedSharedUs: now, launcherTimeUs, timer };
    this.setState('firing', 'execute');
  }

  private interceptorAway(): void {
    const firing = this.firing;
    if (firing === undefined) return;
    this.firing = undefined;
    const fire = firing.fire;
    this.rounds--;
    this.world.launch({
      launcherId: this.id,
      commandId: fire.commandId,
      trackId: fire.trackId,
      origin: this.position,
      aim: fire.aim,
      speedMps: this.spec.speedMps,
      lethalRadiusM: this.spec.lethalRadiusM,
      maxFlightTimeS: this.spec.maxFlightTimeS,
      executedSharedUs: firing.executedSharedUs,
      executeAtUs: fire.executeAtUs,
      launcherTimeUs: firing.launcherTimeUs,
      plannedSharedUs: this.deviceClock.toSharedUs(fire.executeAtUs),
      receivedSharedUs: fire.receivedUs,
      roundsRemaining: this.rounds,
    });
    this.report(fire.commandId, 'launched', firing.launcherTimeUs);
    this.setState('armed', 'launched');
  }

  /** Abort the pending FIRE and a launch still on the rail: FIRE_REPORT aborted (ICD-LNCH-003/004/010/012). */
  private cancelFires(cause: CancelCause): void {
    const nowDeviceUs = this.deviceClock.nowUs();
    const pending = this.pendingFire;
    if (pending !== undefined) {
      this.pendingFire = undefined;
      pending.timer.cancel();
      this.report(pending.commandId, 'aborted', nowDeviceUs);
      this.logCancelled(pending.commandId, 'aborted', cause, false);
    }
    const firing = this.firing;
    if (firing !== undefined) {
      this.firing = undefined;
      firing.timer.cancel();
      this.report(firing.fire.commandId, 'aborted', nowDeviceUs);
      this.logCancelled(firing.fire.commandId, 'aborted', cause, true);
    }
  }

  private report(fireCommandId: number, result: 'launched' | 'aborted' | 'misfire', deviceUs: number): void {
    this.sendAcknowledged({
      type: 'FIRE_REPORT',
      fireCommandId,
      result,
      actualTimeUs: deviceUs,
      roundsRemaining: this.rounds,
    });
  }

  private logCancelled(
    commandId: number,
    result: 'aborted' | 'misfire',
    cause: CancelCause,
    whileFiring: boolean,
  ): void {
    this.truth.write({
      kind: 'fire-cancelled',
      tUs: this.world.scenarioUs(),
      launcherId: this.id,
      commandId,
      result,
      cause,
      whileFiring,
    });
  }

  private setState(state: LauncherState, cause: string): void {
    if (state === this.currentState && cause !== 'watchdog') return;
    this.currentState = state;
    this.truth.write({
      kind: 'launcher-state',
      tUs: this.world.scenarioUs(),
      launcherId: this.id,
      deviceTimeUs: this.deviceClock.nowUs(),
      state,
      watchdog: this.watchdogState,
      cause,
    });
    this.sendStatus();
  }
}
