import type { CheckContext } from './check-context.js';

/** The two controller kinds the kit judges. */
export type DeviceKind = 'radar' | 'launcher';

/**
 * The check of one ICD rule against one or both device kinds.
 *
 * Contract:
 * - `run` starts with the device in the known state {@link CheckContext.recover} leaves it in
 *   (HELLO answered, host heartbeat running; a launcher SAFE; a radar in its initial mode),
 *   unless `freshDevice` is set. It resolves when the rule holds, throws CheckFailure with what
 *   the device did wrong, or CheckSkip when the rule cannot be judged against this device.
 * - Every wait goes through the context, so the runner can stop the check when its budget runs
 *   out; the runner then puts the device back in a known state (a launcher SAFE) itself.
 * - A check never lets a FIRE execute unless `fires` says so, and every FIRE it expects to be
 *   accepted is scheduled far enough ahead to be aborted (see launcher-ops.ts).
 */
export interface RuleCheck {
  /** The ICD rule, e.g. `ICD-LNCH-006`. */
  readonly ruleId: string;
  /** One line: what is checked. */
  readonly title: string;
  readonly devices: readonly DeviceKind[];
  /**
   * `executes`: a FIRE executes (a launch on a real bench); `if-nonconforming`: a FIRE would
   * execute at once on a launcher that breaks the rule (a late FIRE accepted). Either way the
   * check runs only with `allowFire`.
   */
  readonly fires?: 'executes' | 'if-nonconforming';
  /**
   * Run only when asked for by id (`--rule`): the rule needs a device state no command causes
   * (a launcher in FAULT), which the bench must set up; a full run does not list it.
   */
  readonly onRequestOnly?: boolean;
  /** Run against the device as the kit found it: no HELLO, no command before (ICD-CMN-001). */
  readonly freshDevice?: boolean;
  /**
   * Rules the check's own path assumes (getting to its starting state, the commands it uses to
   * set up): when one of them failed earlier in the run, the check is not run and the rule is
   * reported `blocked` ("cannot judge: depends on … which failed"), never failed. The known state
   * every check starts from is tried each time; when it cannot be reached the check is reported
   * blocked on {@link RECOVERY_RULES}.
   */
  readonly dependsOn?: readonly string[];
  /** Time budget at timeout scale 1, microseconds (default DEFAULT_CHECK_BUDGET_US). */
  readonly budgetUs?: number;
  run(ctx: CheckContext): Promise<void>;
}

/**
 * What reaching the known state assumes: HELLO answered with IDENT (ICD-CMN-001), commands
 * answered (ICD-CMN-005; the kit also accepts an answer that echoes the wrong seq but the right
 * type and command id), and on a launcher SAFE acknowledged and taking effect (ICD-LNCH-003).
 */
export const RECOVERY_RULES: Readonly<Record<DeviceKind, readonly string[]>> = {
  radar: ['ICD-CMN-001', 'ICD-CMN-005'],
  launcher: ['ICD-CMN-001', 'ICD-CMN-005', 'ICD-LNCH-003'],
};

/** Budget of a check that sets none. */
export const DEFAULT_CHECK_BUDGET_US = 15_000_000;
