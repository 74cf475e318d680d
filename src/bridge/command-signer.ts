import { randomBytes } from 'node:crypto';
import { commandSigningBytes } from './canonical-json.js';
import type { OperatorKey } from './operator-key.js';
import type { CommandAction, CommandRequest, UnsignedCommandRequest } from './schemas/command-request.js';

/** What an operator wants done, before key id, timestamp, nonce and signature are added. */
export type CommandDraft = CommandAction & { readonly id: string; readonly node: string };

export interface SignOptions {
  /** Wall-clock milliseconds since the Unix epoch (the bridge checks it is within its window). */
  readonly timestampMs: number;
  /** Default: 16 random bytes, base64url (22 characters). */
  readonly nonce?: string;
}

/** A fresh random nonce (128 bits from the OS CSPRNG). */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Sign a command (docs/mqtt.md §Signing): Ed25519 with the operator's private key over the
 * canonical JSON of every member but `signature`, written as base64url (legacy HMAC keys: HMAC-SHA256,
 * lower-case hex). Two-operator commands are signed once per operator, with the same `id`,
 * `verb` and `args` and each its own nonce.
 */
export function signCommand(draft: CommandDraft, key: OperatorKey, options: SignOptions): CommandRequest {
  const unsigned = {
    v: 1,
    id: draft.id,
    node: draft.node,
    keyId: key.keyId,
    timestamp: options.timestampMs,
    nonce: options.nonce ?? newNonce(),
    verb: draft.verb,
    args: draft.args,
  } as UnsignedCommandRequest;
  const signature = key.sign(commandSigningBytes(unsigned));
  return { ...unsigned, signature } as CommandRequest;
}
