import { HEARTBEAT_PERIOD_US, LAUNCH_TOLERANCE_US, STATUS_PERIOD_US } from '../protocol/timing-rules.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import type { Transport } from '../transport/index.js';
import { ANSWER_WAIT_US, describeAnswer, type AimPoint, CheckContext } from './check-context.js';
import { auditDeviceOutput } from './audit-output.js';
import { CheckAborted, CheckBlocked, CheckFailure, CheckSkip } from './check-outcome.js';
import { HostJitterMeter } from './host-jitter.js';
import { ownTimingProblem } from './own-timing.js';
import { ConformanceError } from './conformance-error.js';
import { type ConformanceReport, type RuleResult, type RuleStatus, buildReport } from './conformance-report.js';
import { type PlannedRule, planRules } from './plan-rules.js';
import { NOT_SAFE_WATCH_US } from './launcher-ops.js';
import { ProbeLink } from './probe-link.js';
import { recoverDevice } from './recover-device.js';
import { dependencyUse, result } from './rule-result.js';
import { RunSession } from './run-session.js';
import { DEFAULT_CHECK_BUDGET_US, type DeviceKind, RECOVERY_RULES } from './rule-check.js';

/** A point high above the bench origin: where a FIRE from the kit aims unless told otherwise. */
export const DEFAULT_AIM_POINT: AimPoint = { eastM: 0, northM: 0, upM: 20_000 };
/** How far FIRE_REPORT.actualTimeUs may be from executeAtUs (ICD-LNCH-009). */
export const DEFAULT_FIRE_TOLERANCE_US = LAUNCH_TOLERANCE_US;
/** How long the kit listens, before sending anything, for the device's first status. */
export const FIRST_STATUS_WAIT_US = 1_000_000;

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  readonly device: DeviceKind;
  /** The link to the device; opened when closed, left open (the caller closes it). */
  readonly transport: Transport;
  /** RealClock on real links; a VirtualClock in tests (the caller then runs it). */
  readonly clock: Clock;
  /** Rule ids to run (default: every rule that applies). */
  readonly rules?: readonly string[];
  /** Run the checks that let a FIRE execute, or would on a nonconforming launcher (default false). */
  readonly allowFire?: boolean;
  /** Multiplies every wait and every limit judged from arrival times (default 1). */
  readonly timeoutScale?: number;
  /** Where FIREs aim (default DEFAULT_AIM_POINT). */
  readonly aimPoint?: AimPoint;
  /** Launch-time tolerance of ICD-LNCH-009 (default 1 ms). */
  readonly fireToleranceUs?: number;
  /**
   * The most of the kit's own measured scheduling error that may widen a limit judged from the
   * device's own timestamps — heartbeat and status periods, the launch late side (default 0).
   * For a simulator sharing the kit's machine, whose timers are late by the same scheduling;
   * never needed by real firmware. Never widens a lower bound (a launch early) or t3 − t2.
   */
  readonly timingSlackUs?: number;
  /**
   * Measure the kit's own timing (scheduling error, heartbeat lapses) and report a check
   * `inconclusive` when it failed during the check (default: on a real clock only; tests set it
   * with a clock that injects stalls).
   */
  readonly measureOwnTiming?: boolean;
  /** Report a skip as a failure (a rule that cannot be exercised is not judged conforming). */
  readonly strict?: boolean;
  /** Abort: the current check stops, the rest are not run, a launcher is sent SAFE. */
  readonly signal?: AbortSignal;
  /** Called with each result as soon as it is known (for streaming output). */
  readonly onResult?: (result: RuleResult) => void;
}

/**
 * Judge a device against the ICD: every rule that applies to it, each by its own check (see
 * checks/), with the device brought to a known state before each and a time budget per check,
 * so one failing rule never cascades into the next.
 *
 * Contract:
 * - Throws ConformanceError before sending anything for a bad option or rule id
 *   ('bad-option', 'unknown-rule', 'rule-not-applicable') or when the link cannot be opened
 *   ('link-open-failed'). Anything the device does is a result, never an exception.
 * - Host rules are reported skipped (not applicable to a device); checks that would let a FIRE
 *   execute are skipped unless `allowFire`.
 * - A launcher is sent SAFE after every check and at the end, whatever happened (interrupt
 *   included); a radar is put back in the mode it was found in.
 * - Every timer is on `clock`: with a VirtualClock the run is deterministic and its caller must
 *   advance the clock (e.g. `clock.runUntilCondition`) until the promise settles.
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const timeoutScale = options.timeoutScale ?? 1;
  if (!(timeoutScale > 0) || !Number.isFinite(timeoutScale)) {
    throw new ConformanceError('bad-option', `timeout scale must be a positive number, got ${timeoutScale}`);
  }
  const fireToleranceUs = options.fireToleranceUs ?? DEFAULT_FIRE_TOLERANCE_US;
  if (!(fireToleranceUs >= 0))
    throw new ConformanceError('bad-option', `fire tolerance must be >= 0, got ${fireToleranceUs}`);
  const timingSlackUs = options.timingSlackUs ?? 0;
  if (!(timingSlackUs >= 0))
    throw new ConformanceError('bad-option', `timing slack must be >= 0, got ${timingSlackUs}`);
  const plan = planRules(options.device, options.rules);
  const { transport, clock } = options;
  const probe = new ProbeLink(transport, clock);
  probe.attach();
  if (!transport.isOpen) {
    try {
      await transport.open();
    } catch (error) {
      probe.detach();
      throw new ConformanceError(
        'link-open-failed',
        `cannot open ${transport.url}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const session = new RunSession(options.device);
  const jitter = new HostJitterMeter(clock, options.measureOwnTiming ?? clock.kind === 'real');
  jitter.start();
  const run = new ConformanceRun(options, probe, session, { timeoutScale, fireToleranceUs, timingSlackUs }, jitter);
  const results: RuleResult[] = [];
  try {
    await run.listenForFirstStatus();
    for (const planned of plan) {
      let result = run.interrupted ? run.notRun(planned) : await run.runOne(planned);
      if (result.status === 'skip' && options.strict === true && !run.interrupted) {
        result = { ...result, status: 'fail', detail: `skipped, a failure under --strict: ${result.detail ?? ''}` };
      }
      if (result.status === 'fail') run.failedRules.add(result.ruleId);
      results.push(result);
      options.onResult?.(result);
      probe.forget(probe.cursor());
    }
    for (const corrected of auditDeviceOutput(probe, results)) {
      const index = results.findIndex((r) => r.ruleId === corrected.ruleId);
      results[index] = corrected;
      options.onResult?.(corrected);
    }
  } finally {
    jitter.stop();
    await run.finish();
    probe.detach();
  }
  return buildReport(options.device, results, session.identity, run.interrupted, jitter.summary());
}

class ConformanceRun {
  interrupted = false;
  /** Rules that failed so far: checks depending on one are reported blocked. */
  readonly failedRules = new Set<string>();
  private readonly clock: Clock;
  private readonly onAbort = (): void => {
    this.interrupted = true;
    this.current?.abort(new CheckAborted('run-interrupted', 'interrupted'));
  };
  private current: CheckContext | undefined;

  constructor(
    private readonly options: ConformanceOptions,
    private readonly probe: ProbeLink,
    private readonly session: RunSession,
    private readonly limits: { timeoutScale: number; fireToleranceUs: number; timingSlackUs: number },
    private readonly jitter: HostJitterMeter,
  ) {
    this.clock = options.clock;
    if (options.signal?.aborted === true) this.interrupted = true;
    options.signal?.addEventListener('abort', this.onAbort);
  }

  private context(): CheckContext {
    return new CheckContext({
      probe: this.probe,
      clock: this.clock,
      session: this.session,
      ...this.limits,
      allowFire: this.options.allowFire === true,
      aimPoint: this.options.aimPoint ?? DEFAULT_AIM_POINT,
      jitter: this.jitter,
      failedRules: this.failedRules,
    });
  }

  /** Before sending anything: the device's first status (ICD-LNCH-001 "powers on SAFE"). */
  async listenForFirstStatus(): Promise<void> {
    const type = this.session.device === 'radar' ? 'RADAR_STATUS' : 'LAUNCHER_STATUS';
    const ctx = this.context();
    this.current = ctx;
    try {
      const first = await ctx.nextOf(type, FIRST_STATUS_WAIT_US * this.limits.timeoutScale, { from: 0 });
      if (first !== undefined) {
        this.session.initialStatus = first.message;
        const heartbeat =
          this.probe.last('HEARTBEAT') ?? (await ctx.nextOf('HEARTBEAT', ctx.hostBound(2 * HEARTBEAT_PERIOD_US)));
        this.session.initialHeartbeatCount = heartbeat?.message.heartbeatCount;
        this.session.firstHeartbeatCount = this.probe.messagesSince(0, 'HEARTBEAT')[0]?.message.heartbeatCount;
        if (first.message.type === 'LAUNCHER_STATUS' && first.message.state !== 'safe') {
          // Not SAFE with no host heartbeat: its watchdog must make it SAFE within 250 ms.
          const safe = await ctx.nextOf('LAUNCHER_STATUS', ctx.hostBound(NOT_SAFE_WATCH_US), {
            where: (s) => s.state === 'safe',
          });
          if (safe !== undefined) this.session.wentSafeAfterUs = safe.atUs - first.atUs;
        }
        if (first.message.type === 'LAUNCHER_STATUS') {
          // ICD-LNCH-003: SAFE is acknowledged even before HELLO (judged by that rule's check).
          const outcome = await ctx.command({
            type: 'SAFE',
            commandId: 0x7fffffff - (first.message.deviceTimeUs % 0x10000),
          });
          this.session.safeBeforeHello = describeAnswer(outcome);
        }
      }
    } catch {
      // interrupted
    }
    this.current = undefined;
    const heartbeat = this.probe.last('HEARTBEAT')?.message;
    this.session.seedCommandIds([
      this.clock.nowUs(),
      heartbeat?.senderTimeUs ?? 0,
      heartbeat?.heartbeatCount ?? 0,
      this.session.initialStatus?.deviceTimeUs ?? 0,
    ]);
  }

  /** A rule left out by an interrupt. */
  notRun(planned: PlannedRule): RuleResult {
    return result(planned, 'skip', 'not run: interrupted', 0);
  }

  async runOne(planned: PlannedRule): Promise<RuleResult> {
    const { rule, check } = planned;
    if (rule.appliesTo === 'host') return result(planned, 'skip', "host rule: the host's duty, not a device's", 0);
    if (check === undefined) return result(planned, 'skip', 'no check for this rule in this version of the kit', 0);
    // Only the rules the check's own path uses block it; the known state is tried every time (a
    // late ACK fails ICD-CMN-005, but the next check can still reach its starting state).
    const brokenDependency = (check.dependsOn ?? []).find((id) => id !== rule.id && this.failedRules.has(id));
    if (brokenDependency !== undefined) {
      return result(
        planned,
        'blocked',
        `cannot judge: depends on ${brokenDependency} which failed (${dependencyUse(brokenDependency)})`,
        0,
      );
    }
    if (check.fires !== undefined && this.options.allowFire !== true) {
      const why =
        check.fires === 'executes'
          ? 'a FIRE executes: a launch on a real bench'
          : 'a launcher breaking the rule would launch at once';
      return result(planned, 'skip', `${why}; run with --allow-fire where a launch is harmless`, 0);
    }
    const startUs = this.clock.nowUs();
    this.jitter.beginWindow();
    this.probe.beginHeartbeatWindow();
    const ctx = this.context();
    this.current = ctx;
    const budgetUs = (check.budgetUs ?? DEFAULT_CHECK_BUDGET_US) * this.limits.timeoutScale;
    const budget = this.clock.setTimer(budgetUs, () =>
      ctx.abort(new CheckAborted('check-timed-out', `timed out after ${budgetUs / 1e6} s while: ${ctx.currentStep}`)),
    );
    let status: RuleStatus = 'pass';
    let detail: string | undefined;
    try {
      const work = this.recoverThenRun(ctx, planned);
      work.catch(() => undefined);
      await Promise.race([work, ctx.whenAborted]);
      detail = ctx.notes.length > 0 ? ctx.notes.join('; ') : undefined;
    } catch (error) {
      if (error instanceof CheckSkip) {
        status = 'skip';
        detail = error.message;
      } else if (error instanceof CheckBlocked) {
        status = 'blocked';
        detail = error.message;
      } else if (error instanceof CheckAborted && error.code === 'run-interrupted') {
        status = 'skip';
        detail = 'interrupted';
      } else if (error instanceof CheckFailure || error instanceof CheckAborted) {
        status = 'fail';
        detail = error.message;
      } else {
        status = 'fail';
        detail = `the kit failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    } finally {
      budget.cancel();
      ctx.abort(new CheckAborted('run-interrupted', 'check over'));
      this.current = undefined;
    }
    // A verdict reached while the kit's own timing failed is no verdict (never a false FAIL or PASS).
    const problem =
      status === 'pass' || status === 'fail'
        ? ownTimingProblem({
            latenessUs: this.jitter.settle(),
            heartbeatLapseUs: this.probe.heartbeatLapseUs(),
            toleranceUs: ctx.ownTimingToleranceUs,
          })
        : undefined;
    if (problem !== undefined) {
      detail = `${problem}; its verdict would have been ${status.toUpperCase()}${detail === undefined ? '' : `: ${detail}`}`;
      status = 'inconclusive';
    }
    if (this.isLauncher()) await this.safeQuietly();
    return result(planned, status, detail, this.clock.nowUs() - startUs);
  }

  private async recoverThenRun(ctx: CheckContext, planned: PlannedRule): Promise<void> {
    if (planned.check!.freshDevice !== true) {
      try {
        await recoverDevice(ctx);
      } catch (error) {
        if (error instanceof CheckFailure) {
          // The known state needs HELLO → IDENT, answered commands and (launcher) SAFE: a device
          // that breaks one of those breaks ICD-CMN-001/005 or ICD-LNCH-003, not this rule.
          throw new CheckBlocked(
            RECOVERY_RULES[this.session.device].join(', '),
            `cannot judge: the known state every check starts from was not reached (${error.message}); it depends on ${RECOVERY_RULES[this.session.device].join(', ')}`,
          );
        }
        throw error;
      }
    }
    ctx.currentStep = 'starting';
    await planned.check!.run(ctx);
  }

  private isLauncher(): boolean {
    return this.session.device === 'launcher' || this.session.identity?.deviceKind === 'launcher';
  }

  /** End of run (normal, failed or interrupted): a launcher SAFE, a radar back in its mode. */
  async finish(): Promise<void> {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (this.isLauncher()) await this.safeQuietly();
    else await this.restoreRadarMode();
    this.probe.stopHeartbeat();
  }

  /** SAFE until ACKed, up to three attempts; never throws. */
  private async safeQuietly(): Promise<void> {
    for (let attempt = 0; attempt < 3 && this.probe.transport.isOpen; attempt++) {
      if (await this.commandQuietly({ type: 'SAFE', commandId: this.session.nextCommandId() })) return;
    }
  }

  private async restoreRadarMode(): Promise<void> {
    const initial = this.session.initialStatus;
    if (initial?.type !== 'RADAR_STATUS' || !this.probe.transport.isOpen) return;
    const last =
      this.probe.last('RADAR_STATUS')?.message ??
      (
        await this.probe.next(
          (f) => f.message?.type === 'RADAR_STATUS',
          2 * STATUS_PERIOD_US * this.limits.timeoutScale,
        )
      )?.message;
    if (last?.type !== 'RADAR_STATUS' || last.mode === initial.mode) return;
    await this.commandQuietly({ type: 'RADAR_SET_MODE', commandId: this.session.nextCommandId(), mode: initial.mode });
  }

  /** Send an acknowledged command outside any check; true when ACKed. Bounded even if the write hangs. */
  private async commandQuietly(body: Parameters<ProbeLink['send']>[0]): Promise<boolean> {
    const waitUs = ANSWER_WAIT_US * this.limits.timeoutScale;
    let timer: TimerHandle | undefined;
    const giveUp = new Promise<boolean>((resolve) => (timer = this.clock.setTimer(2 * waitUs, () => resolve(false))));
    const attempt = (async (): Promise<boolean> => {
      const sent = await this.probe.send(body, { ackRequested: true });
      const answer = await this.probe.next(
        (f) => f.message?.type === 'ACK' && f.message.ackedSeq === sent.message.seq,
        waitUs,
        sent.cursor,
      );
      return answer !== undefined;
    })().catch(() => false);
    try {
      return await Promise.race([attempt, giveUp]);
    } finally {
      timer?.cancel();
    }
  }
}
