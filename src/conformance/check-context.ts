import { type Message, type MessageBody, NAK_REASONS, SCHEMA_HASH } from '../protocol/index.js';
import { STATUS_PERIOD_US } from '../protocol/timing-rules.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { CheckAborted, CheckFailure, CheckSkip } from './check-outcome.js';
import type { DeviceIdentity } from './conformance-report.js';
import { formatMs } from './format-ms.js';
import type { FrameFault } from './inspect-frame.js';
import type { ProbeLink, ReceivedFrame, SendOptions, SentFrame } from './probe-link.js';
import type { DeviceKind } from './rule-check.js';

/** A NAK reason code (ICD-CMN-006). */
export type NakReason = (typeof NAK_REASONS)[number];
/** The status message of either device. */
export type StatusMessage = Message<'RADAR_STATUS'> | Message<'LAUNCHER_STATUS'>;
/** A point in the bench's ENU frame, metres. */
export interface AimPoint {
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
}

/** How long the kit waits for an ACK/NAK before calling it missing (the 20 ms limit is judged apart). */
export const ANSWER_WAIT_US = 250_000;
/** How long the kit listens for an answer that must not come (a discarded frame). */
export const SILENCE_WINDOW_US = 60_000;
/** Extra allowance on host-observed times over a real link (OS and adapter latency), per unit of scale. */
export const REAL_LINK_JITTER_US = 2_000;

/** What a run knows about the device, shared by its checks. */
export interface ConformanceSession {
  readonly device: DeviceKind;
  /** The first status seen after the link opened, before the kit sent anything. */
  initialStatus?: StatusMessage;
  /** heartbeatCount of the last HEARTBEAT seen by then: how long the device has been on. */
  initialHeartbeatCount?: number;
  /**
   * A launcher found not SAFE: how long after that first status one showing SAFE came, the kit
   * still silent (no heartbeat, no command); undefined when none came within the window.
   */
  wentSafeAfterUs?: number;
  /** The first IDENT. */
  identity?: DeviceIdentity;
  /** Next command id: unique in the run and unlikely to match an earlier run's (ICD-CMN-008). */
  nextCommandId(): number;
}

/** Options of {@link CheckContext}. */
export interface CheckContextOptions {
  readonly probe: ProbeLink;
  readonly clock: Clock;
  readonly session: ConformanceSession;
  readonly timeoutScale: number;
  readonly allowFire: boolean;
  readonly aimPoint: AimPoint;
  readonly fireToleranceUs: number;
  readonly timingSlackUs: number;
}

/** The answer to one acknowledged command. */
export interface CommandOutcome {
  readonly sent: SentFrame;
  /** The ACK or NAK echoing the command's seq, if one came within the wait. */
  readonly answer?: Message<'ACK'> | Message<'NAK'>;
  readonly answerAtUs?: number;
  /** Host-observed time from the write to the answer. */
  readonly latencyUs?: number;
  /** Blocks from the device that failed to decode meanwhile (a NAK with an undefined reason…). */
  readonly faults: readonly FrameFault[];
}

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
  /** Extra allowance on every limit judged from the device's own timestamps (see deviceBound). */
  readonly timingSlackUs: number;
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

  /** A wait of `us` at scale 1, scaled. */
  scaled(us: number): number {
    return us * this.timeoutScale;
  }

  /**
   * The bound for a limit judged from host arrival times: the limit times the scale, plus an
   * allowance for OS and adapter latency on a real link (none in virtual time).
   */
  hostBound(limitUs: number): number {
    const jitter = this.clock.kind === 'real' ? REAL_LINK_JITTER_US : 0;
    return (limitUs + jitter) * this.timeoutScale;
  }

  /**
   * The bound for a limit judged from the device's own timestamps (a period, t3 − t2, a launch
   * instant): the limit plus the run's timing slack (0 unless the caller asks for it — a
   * simulator on a loaded machine). The timeout scale never applies here.
   */
  deviceBound(limitUs: number): number {
    return limitUs + this.timingSlackUs;
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

  /** How long to wait for the next periodic status: a period and a half, scaled. */
  statusWaitUs(): number {
    return this.hostBound(STATUS_PERIOD_US * 1.5);
  }

  /** A command id for this run. */
  newCommandId(): number {
    return this.session.nextCommandId();
  }

  /** Send a message (see ProbeLink.send); a write error fails the check. */
  async send(body: MessageBody, options: SendOptions = {}): Promise<SentFrame> {
    this.throwIfAborted();
    try {
      return await this.probe.send(body, options);
    } catch (error) {
      this.throwIfAborted();
      return this.fail(`cannot write to the link: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Send an exact message (seq and flags as given). */
  async sendMessage(message: Message): Promise<SentFrame> {
    this.throwIfAborted();
    try {
      return await this.probe.sendMessage(message);
    } catch (error) {
      this.throwIfAborted();
      return this.fail(`cannot write to the link: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Write raw bytes. */
  async sendRaw(bytes: Uint8Array): Promise<{ atUs: number; cursor: number }> {
    this.throwIfAborted();
    try {
      return await this.probe.sendRaw(bytes);
    } catch (error) {
      this.throwIfAborted();
      return this.fail(`cannot write to the link: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Wait for the ACK/NAK echoing `sent`'s seq. */
  async answerTo(sent: SentFrame, waitUs = this.scaled(ANSWER_WAIT_US)): Promise<CommandOutcome> {
    const seq = sent.message.seq;
    const frame = await this.next(
      (f) =>
        (f.message?.type === 'ACK' && f.message.ackedSeq === seq) ||
        (f.message?.type === 'NAK' && f.message.nakedSeq === seq),
      waitUs,
      sent.cursor,
    );
    const faults = this.probe
      .since(sent.cursor)
      .filter((f) => f.fault !== undefined && (frame === undefined || f.index < frame.index))
      .map((f) => f.fault!);
    if (frame === undefined) return { sent, faults };
    return {
      sent,
      answer: frame.message as Message<'ACK'> | Message<'NAK'>,
      answerAtUs: frame.atUs,
      latencyUs: frame.atUs - sent.atUs,
      faults,
    };
  }

  /** Send an acknowledged command (FLAG_ACK_REQUESTED) and wait for its answer. */
  async command(body: MessageBody, options: SendOptions & { waitUs?: number } = {}): Promise<CommandOutcome> {
    const sent = await this.send(body, { ackRequested: true, ...options });
    return this.answerTo(sent, options.waitUs);
  }

  /** As command, failing the check unless the answer is ACK. */
  async expectAck(body: MessageBody, options: SendOptions & { waitUs?: number } = {}): Promise<CommandOutcome> {
    const outcome = await this.command(body, options);
    if (outcome.answer?.type !== 'ACK')
      this.fail(`expected ACK to ${describeCommand(body)}, got ${describeAnswer(outcome)}`);
    return outcome;
  }

  /** As command, failing the check unless the answer is NAK `reason`. */
  async expectNak(
    body: MessageBody,
    reason: NakReason,
    options: SendOptions & { waitUs?: number } = {},
  ): Promise<CommandOutcome> {
    const outcome = await this.command(body, options);
    if (outcome.answer?.type !== 'NAK' || outcome.answer.reason !== reason) {
      this.fail(`expected NAK ${reason} to ${describeCommand(body)}, got ${describeAnswer(outcome)}`);
    }
    return outcome;
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

/** `ARM 17`, `SLEW 18`, `RADAR_SET_MODE 19` for messages. */
export function describeCommand(body: MessageBody): string {
  const id = (body as { commandId?: number }).commandId;
  return id === undefined ? body.type : `${body.type} ${id}`;
}

/** `ACK`, `NAK late`, `no answer within 250 ms (…)` for failure messages. */
export function describeAnswer(outcome: CommandOutcome): string {
  const answer = outcome.answer;
  if (answer !== undefined) return answer.type === 'ACK' ? 'ACK' : `NAK ${answer.reason}`;
  const waited =
    outcome.faults.length === 0
      ? ''
      : `; undecodable frames meanwhile: ${outcome.faults.map((f) => `${f.kind} (${f.detail})`).join(', ')}`;
  return `no answer${waited}`;
}
