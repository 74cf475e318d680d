/**
 * Why a conformance run could not start: a rule id that does not exist or does not apply to
 * the device, a bad option, or a link that cannot be opened. Rule failures are not errors —
 * they are results in the report.
 */
export type ConformanceErrorCode = 'unknown-rule' | 'rule-not-applicable' | 'bad-option' | 'link-open-failed';

export class ConformanceError extends Error {
  constructor(
    readonly code: ConformanceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConformanceError';
  }
}
