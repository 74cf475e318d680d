import type { DeviceKind } from './rule-check.js';

/** How late the kit's own timers fired during the run: its scheduling error, 0 in virtual time. */
export interface HostJitter {
  readonly samples: number;
  readonly p99Us: number;
  readonly maxUs: number;
}

/**
 * Verdict of one rule. pass / fail; skip: the rule cannot be exercised on this device or run (a
 * failure under `strict`); blocked: not judged because a rule its check depends on failed in this
 * run; inconclusive: not judged because the kit's own timing failed during the check (its timers
 * ran later than the check's tolerance, or its heartbeat lapsed) — neither a pass nor a failure.
 */
export type RuleStatus = 'pass' | 'fail' | 'skip' | 'blocked' | 'inconclusive';

/** One line of the report. */
export interface RuleResult {
  /** ICD rule id, e.g. `ICD-LNCH-006`. */
  readonly ruleId: string;
  readonly status: RuleStatus;
  /** What the kit checks, in one line (`FIRE late is refused with NAK late`). */
  readonly title: string;
  /**
   * fail: what the device did wrong (`expected NAK late, got ACK`); skip: why it was not judged;
   * pass: measurements or parts that could not be observed, when worth telling.
   */
  readonly detail?: string;
  /** Clock time the check took, microseconds (virtual time under a VirtualClock). */
  readonly durationUs: number;
}

/** What the device said about itself in IDENT. */
export interface DeviceIdentity {
  readonly deviceKind: string;
  readonly deviceSerial: number;
  /** `major.minor.patch`. */
  readonly firmware: string;
  readonly schemaHash: number;
  /** Whether the device's schema hash equals this build's (ICD-CMN-002). */
  readonly schemaMatches: boolean;
}

/** The result of {@link runConformance}. */
export interface ConformanceReport {
  readonly device: DeviceKind;
  /** One result per rule, in the order the checks ran. */
  readonly results: readonly RuleResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Rules not judged because a rule they depend on failed. */
  readonly blocked: number;
  /** Rules not judged because the kit's own timing failed during their check. */
  readonly inconclusive: number;
  /** The kit's own scheduling error measured during the run (see HostJitter). */
  readonly hostJitter: HostJitter;
  /** From the first IDENT the device sent, when it sent one. */
  readonly identity?: DeviceIdentity;
  /** The run was stopped before every check ran (SIGINT, `signal`). */
  readonly interrupted: boolean;
  /** True when every rule was judged (none failed, blocked or inconclusive; skips allowed) and the run was not interrupted. */
  readonly ok: boolean;
}

/** Count results and build the report. */
export function buildReport(
  device: DeviceKind,
  results: readonly RuleResult[],
  identity: DeviceIdentity | undefined,
  interrupted: boolean,
  hostJitter: HostJitter = { samples: 0, p99Us: 0, maxUs: 0 },
): ConformanceReport {
  const count = (status: RuleStatus): number => results.filter((r) => r.status === status).length;
  const failed = count('fail');
  return {
    device,
    results,
    passed: count('pass'),
    failed,
    skipped: count('skip'),
    blocked: count('blocked'),
    inconclusive: count('inconclusive'),
    hostJitter,
    ...(identity === undefined ? {} : { identity }),
    interrupted,
    ok: failed === 0 && count('blocked') === 0 && count('inconclusive') === 0 && !interrupted,
  };
}
