import { ExportInputError } from '../../export/export-input-error.js';
import { type CommandIo, EXIT_USAGE } from '../command.js';

/**
 * Runs `work`; an ExportInputError (a run file of another format, an MCAP file not written by
 * `export`, a capture of another link type) is printed as `shieldlink <command>: <message>` and
 * becomes exit 2. Any other error propagates (exit 3 from main).
 */
export async function exitUsageOnBadInput(
  command: string,
  io: CommandIo,
  work: () => Promise<number>,
): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ExportInputError) {
      io.stderr.write(`shieldlink ${command}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
