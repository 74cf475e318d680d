/**
 * The vocabulary of a check: what a run knows about the device, the answer to a command, and the
 * waits the kit uses (never limits: the ICD's limits live in src/protocol/timing-rules.ts).
 */
import type { Message, NAK_REASONS } from '../protocol/index.js';
import type { Clock } from '../time/clock.js';
import type { DeviceIdentity } from './conformance-report.js';
import type { HostJitterMeter } from './host-jitter.js';
import type { FrameFault } from './inspect-frame.js';
import type { ProbeLink, SentFrame } from './probe-link.js';
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
/**
 * How long a check waits for a status or state it only needs to go on (not judging timing):
 * generous, so a device late with its statuses fails the status rules, not every other one.
 */
export const FUNCTIONAL_WAIT_US = 1_000_000;
/** Times the kit sends a command (the first and its retransmissions) before calling it unanswered. */
export const COMMAND_ATTEMPTS = 3;

/** What a run knows about the device, shared by its checks. */
export interface ConformanceSession {
  readonly device: DeviceKind;
  /** The first status seen after the link opened, before the kit sent anything. */
  initialStatus?: StatusMessage;
  /** heartbeatCount of the last HEARTBEAT seen by then: how long the device has been on. */
  initialHeartbeatCount?: number;
  /**
   * heartbeatCount of the first HEARTBEAT the kit heard: 0 means the device powered on while the
   * kit held the link, so no other host can have sent it HELLO (ICD-CMN-001 is then judged).
   */
  firstHeartbeatCount?: number;
  /**
   * A launcher found not SAFE: how long after that first status one showing SAFE came, the kit
   * still silent (no heartbeat, no command); undefined when none came within the window.
   */
  wentSafeAfterUs?: number;
  /** The first IDENT. */
  identity?: DeviceIdentity;
  /** A launcher: the answer to the SAFE the kit sent before any HELLO (`ACK`, `NAK …`, `no answer`). */
  safeBeforeHello?: string;
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
  /** The kit's own scheduling error, measured during the run. */
  readonly jitter: HostJitterMeter;
  /** Rules that failed earlier in the run (for CheckContext.requireRule). */
  readonly failedRules: ReadonlySet<string>;
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
  /**
   * When the answer was taken by type and command id although its echo is wrong: what was wrong
   * (`seq 57, expected 56`). Only ICD-CMN-005 judges the echo; other checks go on.
   */
  readonly echoProblem?: string;
  /** Transmissions of the command (1 when answered at once; more after retransmissions). */
  readonly attempts: number;
  /** ACK/NAK frames seen meanwhile that answer something else, described (for `no answer` messages). */
  readonly others: readonly string[];
}
