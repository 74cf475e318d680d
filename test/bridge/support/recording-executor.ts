import type {
  CommandExecutor,
  CommandOutcome,
  CommandProgress,
  VerifiedCommand,
} from '../../../src/bridge/command-executor.js';

/** An executor that records what it gets and answers with `respond` (default: completed). */
export class RecordingExecutor implements CommandExecutor {
  readonly executed: VerifiedCommand[] = [];
  respond: (command: VerifiedCommand, progress: (u: CommandProgress) => void) => Promise<CommandOutcome> =
    async () => ({
      status: 'completed',
    });

  execute(command: VerifiedCommand, progress: (u: CommandProgress) => void): Promise<CommandOutcome> {
    this.executed.push(command);
    return this.respond(command, progress);
  }
}
