import { FLAG_RETRANSMISSION } from '../framing/index.js';
import { CATALOGUE, type Message, type MessageBody, SCHEMA_HASH } from '../protocol/index.js';
import { STATUS_PERIOD_US } from '../protocol/timing-rules.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { CheckAborted, CheckBlocked, CheckFailure, CheckSkip } from './check-outcome.js';
import {
  ANSWER_WAIT_US,
  type AimPoint,
  COMMAND_ATTEMPTS,
  type CheckContextOptions,
  type CommandOutcome,
  type ConformanceSession,
  FUNCTIONAL_WAIT_US,
  type NakReason,
  type StatusMessage,
} from './check-types.js';
import { answers, commandIdOf, describeAnswer, describeAnswerFrame, describeCommand } from './describe-answer.js';
import { formatMs } from './format-ms.js';
import type { HostJitterMeter } from './host-jitter.js';
import type { ProbeLink, ReceivedFrame, SendOptions, SentFrame } from './probe-link.js';
import { OWN_TIMING_TOLERANCE_US } from './own-timing.js';
import type { DeviceKind } from './rule-check.js';

// The vocabulary of checks, re-exported so that a check imports its context from one place.
export {
  ANSWER_WAIT_US,
  type AimPoint,
  COMMAND_ATTEMPTS,
  type CheckContextOptions,
  type CommandOutcome,
  type ConformanceSession,
  FUNCTIONAL_WAIT_US,
  type NakReason,
  SILENCE_WINDOW_US,
  type StatusMessage,
} from './check-types.js';
export { commandIdOf, describeAnswer, describeAnswerFrame, describeCommand } from './describe-answer.js';

/**
 * What a check works with: the probe link, the clock, timing allowances, and helpers that send a
 * command and judge its answer. Every wait is abortable: when the runner stops the check (budget
 * spent, run interrupted) the pending wait throws CheckAborted.
 */
export class CheckContext {
  readonly device: DeviceKind;
  readonly probe: ProbeLink;
  readonly clock: Clock;
  readonly session: ConformanceSession;
  /** Multiplies every wait and every limit judged from host arrival times. */
  readonly timeoutScale: number;
  readonly allowFire: boolean;
  readonly aimPoint: AimPoint;
  readonly fireToleranceUs: number;
  /** Cap on the allowance granted to limits judged on the device's own timestamps (see deviceBound). */
  readonly timingSlackUs: number;
  readonly jitter: HostJitterMeter;
  private readonly failedRules: ReadonlySet<string>;
  /** Notes for the result line of a passing check (measurements, parts not observable). */
  readonly notes: string[] = [];
  /** What the check is doing, for the timeout message. */
  currentStep = 'starting';
  /** Rejects when the check is aborted (never resolves otherwise). */
  readonly whenAborted: Promise<never>;
  private abortedWith: CheckAborted | undefined;
  private rejectAborted!: (error: CheckAborted) => void;
  private readonly sleeps = new Map<TimerHandle, () => void>();
  private cachedOffsetUs: number | undefined;
  private tightestLimitUs = OWN_TIMING_TOLERANCE_US;

  constructor(options: CheckContextOptions) {
    this.device = options.session.device;
    this.probe = options.probe;
    this.clock = options.clock;
    this.session = options.session;
    this.timeoutScale = options.timeoutScale;
    this.allowFire = options.allowFire;
    this.aimPoint = options.aimPoint;
    this.fireToleranceUs = options.fireToleranceUs;
    this.timingSlackUs = options.timingSlackUs;
    this.jitter = options.jitter;
    this.failedRules = options.failedRules;
    this.whenAborted = new Promise<never>((_, reject) => (this.rejectAborted = reject));
    this.whenAborted.catch(() => undefined);
  }

  /** Stop the check: every pending and later wait throws `error`. */
  abort(error: CheckAborted): void {
    if (this.abortedWith !== undefined) return;
    this.abortedWith = error;
    this.rejectAborted(error);
    for (const [timer, wake] of this.sleeps) {
      timer.cancel();
      wake();
    }
    this.sleeps.clear();
    this.probe.cancelWaits();
  }

  get aborted(): boolean {
    return this.abortedWith !== undefined;
  }

  throwIfAborted(): void {
    if (this.abortedWith !== undefined) throw this.abortedWith;
  }

  step(text: string): void {
    this.throwIfAborted();
    this.currentStep = text;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  fail(message: string): never {
    throw new CheckFailure(message);
  }

  skip(reason: string): never {
    throw new CheckSkip(reason);
  }

  /** Cannot judge: the path needs `ruleId`, which the device breaks (`why` says how it showed). */
  blocked(ruleId: string, why: string): never {
    throw new CheckBlocked(ruleId, `cannot judge: depends on ${ruleId} which failed (${why})`);
  }

  /** Throws CheckBlocked when `ruleId` failed earlier in this run. */
  requireRule(ruleId: string, why: string): void {
    if (this.failedRules.has(ruleId)) this.blocked(ruleId, why);
  }

  /**
   * A wait of `us` at scale 1: scaled, plus the kit's own scheduling error measured so far (a
   * wait is how long the kit listens before calling something missing, never a limit).
   */
  scaled(us: number): number {
    return us * this.timeoutScale + this.jitter.allowanceUs;
  }

  /**
   * The bound for a limit judged from host arrival times (an ACK within 20 ms, a status within
   * 20 ms of a change): the limit plus the kit's own scheduling error measured so far in the run
   * (0 in virtual time). Nothing else widens it: `timeoutScale` scales waits, never limits.
   */
  hostBound(limitUs: number): number {
    this.tightestLimitUs = Math.min(this.tightestLimitUs, limitUs);
    return limitUs + this.jitter.allowanceUs;
  }

  /**
   * The upper bound for a period the device times and stamps itself (heartbeat interval, status
   * gap, launch late side): the limit plus the kit's measured scheduling error, but at most
   * `timingSlackUs` of it (default 0) — for a simulator sharing the kit's machine, whose timers
   * are late by the same scheduling. Lower bounds (a launch early, a heartbeat too soon) and
   * answers the device stamps at both ends (t3 − t2) are never widened.
   */
  deviceBound(limitUs: number): number {
    this.tightestLimitUs = Math.min(this.tightestLimitUs, limitUs);
    return limitUs + Math.min(this.timingSlackUs, this.jitter.allowanceUs);
  }

  /**
   * How late the kit's own timers may run during this check before its verdict means nothing:
   * the tightest limit it judged through hostBound / deviceBound, at most OWN_TIMING_TOLERANCE_US.
   */
  get ownTimingToleranceUs(): number {
    return this.tightestLimitUs;
  }

  /** `limit 20 ms` or `limit 20 ms + 1.3 ms host scheduling error` for failure messages. */
  boundText(limitUs: number, boundUs: number): string {
    const extra = boundUs - limitUs;
    return extra <= 0
      ? `limit ${formatMs(limitUs)}`
      : `limit ${formatMs(limitUs)} + ${formatMs(extra)} host scheduling error`;
  }

  async sleep(us: number): Promise<void> {
    this.throwIfAborted();
    await new Promise<void>((resolve) => {
      const timer = this.clock.setTimer(us, () => {
        this.sleeps.delete(timer);
        resolve();
      });
      this.sleeps.set(timer, resolve);
    });
    this.throwIfAborted();
  }

  /** See ProbeLink.next; throws CheckAborted when aborted meanwhile. */
  async next(
    predicate: (frame: ReceivedFrame) => boolean,
    timeoutUs: number,
    from?: number,
  ): Promise<ReceivedFrame | undefined> {
    this.throwIfAborted();
    const frame = await this.probe.next(predicate, timeoutUs, from);
    this.throwIfAborted();
    return frame;
  }

  /** The next message of a type (optionally matching `where`) at or after `from`, or undefined. */
  async nextOf<N extends Message['type']>(
    type: N,
    timeoutUs: number,
    options: { from?: number; where?: (message: Message<N>) => boolean } = {},
  ): Promise<{ atUs: number; message: Message<N> } | undefined> {
    const where = options.where ?? (() => true);
    const frame = await this.next(
      (f) => f.message?.type === type && where(f.message as unknown as Message<N>),
      timeoutUs,
      options.from,
    );
    return frame === undefined ? undefined : { atUs: frame.atUs, message: frame.message as unknown as Message<N> };
  }

  /** As nextOf, failing the check with `no <type> <what> within …` when none comes. */
  async expectNext<N extends Message['type']>(
    type: N,
    what: string,
    timeoutUs: number,
    options: { from?: number; where?: (message: Message<N>) => boolean } = {},
  ): Promise<{ atUs: number; message: Message<N> }> {
    const found = await this.nextOf(type, timeoutUs, options);
    if (found === undefined) this.fail(`no ${type}${what === '' ? '' : ` ${what}`} within ${formatMs(timeoutUs)}`);
    return found;
  }

  /** The next status message of this device. */
  async nextStatus(
    timeoutUs = this.statusWaitUs(),
    options: { from?: number; where?: (message: StatusMessage) => boolean } = {},
  ): Promise<{ atUs: number; message: StatusMessage } | undefined> {
    const type = this.device === 'radar' ? 'RADAR_STATUS' : 'LAUNCHER_STATUS';
    return this.nextOf(type, timeoutUs, options as { from?: number; where?: (m: Message<typeof type>) => boolean });
  }

  /** How long to wait for a status the check needs to go on (not judging its timing), scaled. */
  statusWaitUs(): number {
    return this.scaled(Math.max(FUNCTIONAL_WAIT_US, STATUS_PERIOD_US * 1.5));
  }

  /** A command id for this run. */
  newCommandId(): number {
    return this.session.nextCommandId();
  }

  /** Send a message (see ProbeLink.send); a write error fails the check. */
  send(body: MessageBody, options: SendOptions = {}): Promise<SentFrame> {
    return this.write(() => this.probe.send(body, options));
  }

  /** Send an exact message (seq and flags as given). */
  sendMessage(message: Message): Promise<SentFrame> {
    return this.write(() => this.probe.sendMessage(message));
  }

  /** Write raw bytes. */
  sendRaw(bytes: Uint8Array): Promise<{ atUs: number; cursor: number }> {
    return this.write(() => this.probe.sendRaw(bytes));
  }

  /** One write to the link: throws CheckAborted when aborted, fails the check on a write error. */
  private async write<T>(operation: () => Promise<T>): Promise<T> {
    this.throwIfAborted();
    try {
      return await operation();
    } catch (error) {
      this.throwIfAborted();
      return this.fail(`cannot write to the link: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Wait for the ACK/NAK answering `sent`: echoing its seq — or, when the echoed seq is wrong,
   * its type and command id (then `echoProblem` says what was wrong, and only ICD-CMN-005
   * judges it).
   */
  async answerTo(sent: SentFrame, waitUs = this.scaled(ANSWER_WAIT_US)): Promise<CommandOutcome> {
    const seq = sent.message.seq;
    const typeCode = CATALOGUE[sent.message.type].code;
    const commandId = commandIdOf(sent.message);
    const frame = await this.next((f) => answers(f, seq, typeCode, commandId) !== 'no', waitUs, sent.cursor);
    const upTo = this.probe.since(sent.cursor).filter((f) => frame === undefined || f.index < frame.index);
    const faults = upTo.filter((f) => f.fault !== undefined).map((f) => f.fault!);
    const others = upTo
      .filter((f) => f.message?.type === 'ACK' || f.message?.type === 'NAK')
      .map((f) => describeAnswerFrame(f.message as Message<'ACK'> | Message<'NAK'>));
    if (frame === undefined) return { sent, faults, attempts: 1, others };
    const answer = frame.message as Message<'ACK'> | Message<'NAK'>;
    const echoed = answer.type === 'ACK' ? answer.ackedSeq : answer.nakedSeq;
    return {
      sent,
      answer,
      answerAtUs: frame.atUs,
      latencyUs: frame.atUs - sent.atUs,
      faults,
      attempts: 1,
      others,
      ...(echoed === seq ? {} : { echoProblem: `${answer.type} with seq ${echoed}, expected ${seq}` }),
    };
  }

  /**
   * Send an acknowledged command (FLAG_ACK_REQUESTED) and wait for its answer; unanswered, send
   * it again as a host would (same seq, retransmission flag), up to COMMAND_ATTEMPTS in all
   * (`attempts: 1` for checks that judge the first answer's timing).
   */
  async command(
    body: MessageBody,
    options: SendOptions & { waitUs?: number; attempts?: number } = {},
  ): Promise<CommandOutcome> {
    const { waitUs, attempts = COMMAND_ATTEMPTS, ...sendOptions } = options;
    this.requireOwnCatalogue(body);
    const first = await this.send(body, { ackRequested: true, ...sendOptions });
    let outcome = await this.answerTo(first, waitUs);
    const others = [...outcome.others];
    for (let attempt = 2; outcome.answer === undefined && attempt <= attempts; attempt++) {
      const again = await this.sendMessage({
        ...first.message,
        flags: first.message.flags | FLAG_RETRANSMISSION,
      } as Message);
      outcome = await this.answerTo(again, waitUs);
      others.push(...outcome.others);
      outcome = { ...outcome, sent: outcome.answer === undefined ? first : again, attempts: attempt, others };
    }
    return outcome;
  }

  /** As command, failing the check unless the answer is ACK. */
  async expectAck(
    body: MessageBody,
    options: SendOptions & { waitUs?: number; attempts?: number } = {},
  ): Promise<CommandOutcome> {
    const outcome = await this.command(body, options);
    if (outcome.answer?.type !== 'ACK')
      this.fail(`expected ACK to ${describeCommand(body)}, got ${describeAnswer(outcome)}`);
    return outcome;
  }

  /** As command, failing the check unless the answer is NAK `reason`. */
  async expectNak(
    body: MessageBody,
    reason: NakReason,
    options: SendOptions & { waitUs?: number; attempts?: number } = {},
  ): Promise<CommandOutcome> {
    const outcome = await this.command(body, options);
    if (outcome.answer?.type !== 'NAK' || outcome.answer.reason !== reason) {
      this.fail(`expected NAK ${reason} to ${describeCommand(body)}, got ${describeAnswer(outcome)}`);
    }
    return outcome;
  }

  /**
   * A device whose IDENT carried another schema hash implements another catalogue: a host sends
   * it no command (ICD-HOST-003), so a check that would command it cannot judge its rule and is
   * blocked on ICD-CMN-002 — SAFE to a launcher excepted (always accepted, ICD-LNCH-003).
   */
  private requireOwnCatalogue(body: MessageBody): void {
    const identity = this.session.identity;
    if (identity === undefined || identity.schemaMatches) return;
    if (body.type === 'SAFE' && this.device === 'launcher') return;
    this.blocked(
      'ICD-CMN-002',
      `IDENT schema hash 0x${identity.schemaHash.toString(16).padStart(8, '0')}: the device implements another catalogue, and a host sends it no command`,
    );
  }

  /** HELLO → IDENT (ICD-CMN-001); records the identity; fails the check when no IDENT comes. */
  async hello(): Promise<Message<'IDENT'>> {
    const sent = await this.send({
      type: 'HELLO',
      schemaHash: SCHEMA_HASH,
      hostTimeUs: Math.floor(this.clock.nowUs()),
    });
    const ident = await this.nextOf('IDENT', this.scaled(ANSWER_WAIT_US), { from: sent.cursor });
    if (ident === undefined) this.fail(`no IDENT in answer to HELLO within ${formatMs(this.scaled(ANSWER_WAIT_US))}`);
    const m = ident.message;
    this.session.identity ??= {
      deviceKind: m.deviceKind,
      deviceSerial: m.deviceSerial,
      firmware: `${m.firmwareMajor}.${m.firmwareMinor}.${m.firmwarePatch}`,
      schemaHash: m.schemaHash,
      schemaMatches: m.schemaHash === SCHEMA_HASH,
    };
    return m;
  }

  /**
   * The device's clock minus ours, from the TIME_SYNC exchange with the smallest round trip of
   * four (NTP-style); cached for the check. Fails the check when the device answers none.
   */
  async deviceOffsetUs(): Promise<number> {
    if (this.cachedOffsetUs !== undefined) return this.cachedOffsetUs;
    let best: { rttUs: number; offsetUs: number } | undefined;
    for (let i = 0; i < 4; i++) {
      const t1 = Math.floor(this.clock.nowUs());
      const sent = await this.send({ type: 'TIME_SYNC_REQUEST', t1HostUs: t1 });
      const response = await this.nextOf('TIME_SYNC_RESPONSE', this.scaled(ANSWER_WAIT_US), {
        from: sent.cursor,
        where: (m) => m.t1HostUs === t1,
      });
      if (response === undefined) continue;
      const { t2DeviceUs: t2, t3DeviceUs: t3 } = response.message;
      const t4 = response.atUs;
      const rttUs = t4 - t1 - (t3 - t2);
      const offsetUs = (t2 - t1 + (t3 - t4)) / 2;
      if (best === undefined || rttUs < best.rttUs) best = { rttUs, offsetUs };
    }
    if (best === undefined) this.fail('the device answers no TIME_SYNC_REQUEST: its time cannot be estimated');
    this.cachedOffsetUs = best.offsetUs;
    return best.offsetUs;
  }

  /** Estimated device time now (integer microseconds). */
  async deviceNowUs(): Promise<number> {
    const offset = await this.deviceOffsetUs();
    return Math.round(this.clock.nowUs() + offset);
  }
}
