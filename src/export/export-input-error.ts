/**
 * An input that export, import or replay cannot use: a run file of another format or cut
 * mid-file, an MCAP file that is truncated or corrupt, a capture of another link type. The
 * message is one line naming the file; the CLI exits 2.
 */
export class ExportInputError extends Error {
  readonly code = 'export-input';
  constructor(message: string) {
    super(message);
    this.name = 'ExportInputError';
  }
}
