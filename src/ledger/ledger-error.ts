/**
 * A ledger file that cannot be checked at all: not a ledger (`not-a-ledger`: empty, garbage or an
 * unknown format on line 1) or the ledger of another node or key (`wrong-node`). A file that is a
 * ledger of this node but was changed or cut short is not an error: verification reports it.
 */
export class LedgerFileError extends Error {
  constructor(
    readonly code: 'not-a-ledger' | 'wrong-node',
    message: string,
  ) {
    super(message);
    this.name = 'LedgerFileError';
  }
}
