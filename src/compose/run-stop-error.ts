/** Virtual time a stopping part of a virtual run gets to settle (its retransmits are shorter). */
export const STOP_SETTLE_US = 5_000_000;

/**
 * A virtual run whose stop did not settle: a part (session, devices, bridge) was still busy
 * STOP_SETTLE_US of virtual time after the stop. The recording is closed, but the run did not end
 * cleanly: a runtime error (exit 3), never a silent exit 0.
 */
export class RunStopError extends Error {
  readonly code = 'run-stop';
  constructor(readonly parts: readonly string[]) {
    super(
      `the run did not stop cleanly: ${parts.join(', ')} still busy ${STOP_SETTLE_US / 1e6} s (virtual) after the stop`,
    );
    this.name = 'RunStopError';
  }
}
