/** Why the simulator refused a request (a caller bug or a bad setup, never device input). */
export type SimulatorErrorCode =
  'unknown-device' | 'wrong-device-kind' | 'unknown-behaviour' | 'missing-link' | 'already-started' | 'stopped';

/** Thrown by the simulator's API. */
export class SimulatorError extends Error {
  constructor(
    readonly code: SimulatorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SimulatorError';
  }
}

/** `expectHostMessage` saw no matching host message in time (clock time). */
export class ExpectTimeoutError extends Error {
  readonly code = 'expect-timeout';
  constructor(
    readonly deviceId: string,
    readonly timeoutUs: number,
    description: string,
  ) {
    super(`${deviceId}: no host message matching ${description} within ${timeoutUs} us`);
    this.name = 'ExpectTimeoutError';
  }
}
