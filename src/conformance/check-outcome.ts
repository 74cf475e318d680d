/**
 * How a check ends other than by passing: thrown from inside a check, caught by the runner and
 * turned into one result line. Each carries a `code`; `message` is the text shown in brackets
 * after the rule, e.g. `expected NAK late, got ACK`.
 */

/** The device broke the rule. */
export class CheckFailure extends Error {
  readonly code = 'check-failed';
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** The rule could not be judged against this device (the reason says why, and how to fix it). */
export class CheckSkip extends Error {
  readonly code = 'check-skipped';
  constructor(message: string) {
    super(message);
    this.name = 'CheckSkip';
  }
}

/** The check was stopped from outside: its time budget ran out, or the run was interrupted. */
export class CheckAborted extends Error {
  constructor(
    readonly code: 'check-timed-out' | 'run-interrupted',
    message: string,
  ) {
    super(message);
    this.name = 'CheckAborted';
  }
}

/**
 * The rule cannot be judged because the path to it needs a rule that the device breaks: reported
 * `blocked` with the rule named, never as a failure of the rule under test.
 */
export class CheckBlocked extends Error {
  readonly code = 'check-blocked';
  constructor(
    readonly dependsOn: string,
    message: string,
  ) {
    super(message);
    this.name = 'CheckBlocked';
  }
}
