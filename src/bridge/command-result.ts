import type { CommandOutcome } from './command-executor.js';
import { isoOf } from './payload-sanitizer.js';
import type { CommandResultPayload } from './schemas/command-result-payload.js';

/** Where a result goes besides `commands/result`: an MQTT 5 response topic. */
export interface ReplyTo {
  readonly topic: string;
  readonly correlationData: Buffer | null;
}

/** Who and what a result is about, and where else it goes. */
export interface ResultBase {
  readonly id: string | null;
  readonly verb: string | null;
  readonly operators: readonly string[];
  readonly replyTo: ReplyTo | null;
}

/** A command's outcome, before it becomes a payload. */
export type ResultOutcome =
  | { readonly status: 'pending'; readonly expiresAt: string; readonly detail?: string }
  | { readonly status: 'accepted'; readonly detail?: string }
  | { readonly status: 'completed'; readonly detail?: string }
  | { readonly status: 'rejected'; readonly reason: string; readonly detail?: string }
  | { readonly status: 'timed_out'; readonly stage: string; readonly detail?: string };

const WORD = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** An executor's outcome, checked: anything malformed becomes `rejected: executor-error`. */
export function normalise(outcome: CommandOutcome): ResultOutcome {
  const o = outcome as Partial<Record<'status' | 'reason' | 'stage' | 'detail', unknown>> | null;
  const detail = typeof o?.detail === 'string' ? o.detail : undefined;
  switch (o?.status) {
    case 'accepted':
      return { status: 'accepted', detail };
    case 'completed':
      return { status: 'completed', detail };
    case 'rejected':
      if (typeof o.reason === 'string' && WORD.test(o.reason)) return { status: 'rejected', reason: o.reason, detail };
      break;
    case 'timed_out':
      if (typeof o.stage === 'string' && WORD.test(o.stage)) return { status: 'timed_out', stage: o.stage, detail };
      break;
  }
  return { status: 'rejected', reason: 'executor-error', detail: 'malformed outcome' };
}

/**
 * The `commands/result` payload of one command (`base`) and its outcome, at wall-clock time `atMs`.
 * `detail` is cut to 256 characters.
 */
export function commandResultPayload(
  nodeId: string,
  atMs: number,
  base: ResultBase,
  outcome: ResultOutcome,
): CommandResultPayload {
  const common = {
    v: 1 as const,
    nodeId,
    id: base.id,
    verb: base.verb,
    operators: [...base.operators],
    detail: outcome.detail?.slice(0, 256) ?? null,
    at: isoOf(atMs),
  };
  switch (outcome.status) {
    case 'pending':
      return { ...common, status: 'pending', awaiting: 'second-operator', expiresAt: outcome.expiresAt };
    case 'accepted':
      return { ...common, status: 'accepted' };
    case 'completed':
      return { ...common, status: 'completed' };
    case 'rejected':
      return { ...common, status: 'rejected', reason: outcome.reason };
    case 'timed_out':
      return { ...common, status: 'timed_out', stage: outcome.stage };
  }
}
