/** Why the core refused to run. */
export type ControlErrorCode = 'invalid-config' | 'time-regressed' | 'command-ids-exhausted';

/**
 * A programming or configuration error of the core's caller. Bad *data* (unknown radar,
 * NaN field, unauthorised operator command) never throws: it is rejected with an event.
 */
export class ControlError extends Error {
  override readonly name: string = 'ControlError';

  constructor(
    readonly code: ControlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A config that fails validation; `path` names the field (e.g. `launchers[1].flyout.speedMps`). */
export class ControlConfigError extends ControlError {
  override readonly name = 'ControlConfigError';

  constructor(
    readonly path: string,
    problem: string,
  ) {
    super('invalid-config', `control config ${path}: ${problem}`);
  }
}
