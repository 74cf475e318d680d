/** A `--faults` text that cannot be read: names the item and what is wrong (CLI exit 2). */
export class FaultSpecError extends Error {
  readonly code = 'bad-fault-spec';
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}
