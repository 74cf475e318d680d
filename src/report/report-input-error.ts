/** A report input that cannot be used: an unreadable or malformed truth log or summary file. */
export class ReportInputError extends Error {
  readonly code = 'report-input';
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}
