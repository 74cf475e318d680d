import { z } from 'zod';
import { idString, isoTime, nodeSignature, payloadVersion } from './payload-primitives.js';

/**
 * Why the bridge rejected a command before (or instead of) executing it. Executors add their own
 * reasons (the control core's, e.g. `unknown-track`, `not-authorized-by-weapons-control`).
 */
export const BRIDGE_REJECT_REASONS = [
  'payload-too-large',
  'malformed-json',
  'unknown-verb',
  'no-keys-configured',
  'unsigned',
  'invalid-payload',
  'verb-mismatch',
  'wrong-node',
  'unknown-key',
  'bad-signature',
  'algorithm-mismatch',
  'stale',
  'replayed',
  'replay-cache-full',
  'signed-before-start',
  'replay-cache-unwritable',
  'duplicate-id',
  'same-operator',
  'two-operator-mismatch',
  'no-second-operator',
  'busy',
  'executor-error',
  'shutting-down',
] as const;
export type BridgeRejectReason = (typeof BRIDGE_REJECT_REASONS)[number];

export const COMMAND_STATUSES = ['pending', 'accepted', 'rejected', 'timed_out', 'completed'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

const common = {
  v: payloadVersion,
  nodeId: idString,
  id: idString.nullable().describe('The request id, echoed; null when the request had no readable id.'),
  verb: z.string().max(64).nullable().describe('The verb from the topic, null when not a known verb.'),
  operators: z.array(z.string().max(64)).describe('Operators whose valid signatures this command carries so far.'),
  detail: z.string().max(256).nullable(),
  at: isoTime,
  nodeSig: nodeSignature,
};

/**
 * `commands/result` (and the MQTT 5 response topic): the answer to a command, echoing its `id`.
 *
 * - `pending` — only for FREE and ARM: the first operator's signature is valid and the command
 *   waits for a second, distinct operator until `expiresAt`; nothing has been executed. If none
 *   comes, the final result is `rejected` with reason `no-second-operator`.
 * - `accepted` — the executor took the command and has yet to confirm it (at most once), or, as
 *   the last result, took it without a completion report.
 * - `completed`, `rejected` (with `reason`), `timed_out` (with `stage`) — terminal, exactly one.
 */
export const commandResultPayload = z
  .discriminatedUnion('status', [
    z.strictObject({
      ...common,
      status: z.literal('pending'),
      awaiting: z.literal('second-operator'),
      expiresAt: isoTime.describe('End of the window for the second operator.'),
    }),
    z.strictObject({ ...common, status: z.literal('accepted') }),
    z.strictObject({ ...common, status: z.literal('completed') }),
    z.strictObject({ ...common, status: z.literal('rejected'), reason: z.string().min(1).max(64) }),
    z.strictObject({
      ...common,
      status: z.literal('timed_out'),
      stage: z.string().min(1).max(64).describe('What did not finish in time, e.g. `second-operator`, `execution`.'),
    }),
  ])
  .meta({ id: 'CommandResult', title: 'shieldlink/v1/<node>/commands/result' });

export type CommandResultPayload = z.infer<typeof commandResultPayload>;
