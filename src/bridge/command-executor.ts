import type { CommandAction } from './schemas/command-request.js';

/**
 * A command that passed every check of the bridge: schema, signature(s), freshness, nonce,
 * duplicate id and, for FREE and ARM, two distinct operators. `republish` never reaches an
 * executor (the bridge handles it).
 */
export type VerifiedCommand = Exclude<CommandAction, { verb: 'republish' }> & {
  /**
   * The operator's request id. It must travel with the command down to the device frame (the
   * executor maps it to the frame's numeric command id and back) and is echoed in every result.
   * The bridge never hands the same id to `execute` twice in a boot.
   */
  readonly id: string;
  /** Distinct operators who signed, in signing order (two for FREE and ARM). */
  readonly operators: readonly string[];
  /** Their key ids, same order. */
  readonly keyIds: readonly string[];
  /** Wall time the first operator signed, ms since the Unix epoch. */
  readonly signedAtMs: number;
  /** Host monotonic time the bridge authorised it (last signature verified). */
  readonly authorizedAtUs: number;
};

/** What became of a command. `accepted` as a final outcome means "taken; no completion report". */
export type CommandOutcome =
  | { readonly status: 'accepted'; readonly detail?: string }
  | { readonly status: 'completed'; readonly detail?: string }
  | { readonly status: 'rejected'; readonly reason: string; readonly detail?: string }
  | { readonly status: 'timed_out'; readonly stage: string; readonly detail?: string };

/** Intermediate report: the command was taken and is being carried out. */
export type CommandProgress = { readonly status: 'accepted'; readonly detail?: string };

/**
 * Carries out verified commands (the control loop behind it). Contract:
 * - `execute` returns quickly: it queues the command for the loop and resolves later with the
 *   final outcome; it must not throw (a throw or rejection becomes `rejected: executor-error`).
 * - `progress({status:'accepted'})` may be called once, before the promise settles, when the
 *   core took the command and the device has yet to confirm (e.g. ARM sent, ACK pending); the
 *   bridge publishes it as an `accepted` result.
 * - Rejection reasons are short kebab-case words (`unknown-track`, `interlock-launcher-not-armed`).
 * - The bridge gives up after its command timeout and reports `timed_out` (stage `execution`,
 *   or `completion` after `accepted`); an outcome settling later is audited as late.
 */
export interface CommandExecutor {
  execute(command: VerifiedCommand, progress: (update: CommandProgress) => void): Promise<CommandOutcome>;
}
