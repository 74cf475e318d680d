import type { Clock } from '../time/clock.js';
import { commandSigningBytes } from './canonical-json.js';
import type { NonceCache } from './nonce-cache.js';
import type { OperatorKeyring } from './operator-keyring.js';
import type { ReplayStoreOpened } from './replay-store.js';
import { type CommandRequest, commandRequest, isCommandVerb } from './schemas/command-request.js';
import type { BridgeRejectReason } from './schemas/command-result-payload.js';
import { ID_PATTERN } from './schemas/payload-primitives.js';
import type { TopicTree } from './topic-tree.js';

/** A command message judged: rejected with a reason, or authenticated with its operator. */
export type Verdict =
  | { readonly ok: false; readonly reason: BridgeRejectReason; readonly detail?: string }
  | { readonly ok: true; readonly command: CommandRequest; readonly operator: string };

/** What the checks read. `persist` writes a nonce to the replay cache, false when that failed. */
export interface CommandVerifierDeps {
  readonly topics: TopicTree;
  readonly keyring: OperatorKeyring;
  readonly clock: Clock;
  readonly wallClock: () => number;
  readonly replayStore?: ReplayStoreOpened;
  readonly staleAfterMs: number;
  readonly maxPayloadBytes: number;
  /** Wall-clock time the handler was made, ms (commands signed before it: see `replayStore`). */
  readonly startedAtMs: number;
  readonly nonces: NonceCache;
  readonly persist: (kind: 'nonce', key: string) => boolean;
}

/**
 * The checks an inbound command passes before anything acts on it, in the order of docs/mqtt.md
 * §Commands; the first failure is the verdict. A passing command's nonce is remembered (and
 * written to the replay cache) as the last check. Never throws for bad input.
 */
export class CommandVerifier {
  constructor(private readonly deps: CommandVerifierDeps) {}

  /** The checks, in order; the first failure is the reason (docs/mqtt.md §Commands). */
  verify(topicVerb: string, payload: Buffer, parsed: unknown): Verdict {
    if (payload.length > this.deps.maxPayloadBytes) return { ok: false, reason: 'payload-too-large' };
    if (parsed === undefined) return { ok: false, reason: 'malformed-json' };
    if (!isCommandVerb(topicVerb)) return { ok: false, reason: 'unknown-verb' };
    if (this.deps.keyring.size === 0) return { ok: false, reason: 'no-keys-configured' };
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, reason: 'invalid-payload', detail: 'expected a JSON object' };
    }
    if (!Object.prototype.hasOwnProperty.call(parsed, 'signature')) return { ok: false, reason: 'unsigned' };
    const checked = commandRequest.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const detail = `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`;
      return { ok: false, reason: 'invalid-payload', detail: detail.slice(0, 200) };
    }
    const command = checked.data;
    if (command.verb !== topicVerb) return { ok: false, reason: 'verb-mismatch' };
    if (command.node !== this.deps.topics.nodeId) return { ok: false, reason: 'wrong-node' };
    const key = this.deps.keyring.get(command.keyId);
    if (key === undefined) return { ok: false, reason: 'unknown-key' };
    // Signature before freshness and nonce: unauthenticated input must not fill the nonce cache.
    // The keyring entry's algorithm decides; a signature of the other algorithm is never tried.
    const check = key.check(commandSigningBytes(parsed as Record<string, unknown>), command.signature);
    if (check !== 'valid') {
      return {
        ok: false,
        reason: check,
        ...(check === 'algorithm-mismatch' ? { detail: `key '${key.keyId}' is ${key.algorithm}` } : {}),
      };
    }
    const skewMs = this.deps.wallClock() - command.timestamp;
    if (Math.abs(skewMs) > this.deps.staleAfterMs) {
      return {
        ok: false,
        reason: 'stale',
        detail: `timestamp ${skewMs > 0 ? 'behind' : 'ahead'} by ${Math.abs(skewMs)} ms`,
      };
    }
    const store = this.deps.replayStore;
    if (store !== undefined && !store.intact && command.timestamp < this.deps.startedAtMs) {
      return { ok: false, reason: 'signed-before-start', detail: store.problem ?? 'replay cache not intact' };
    }
    const nonce = this.deps.nonces.add(command.keyId, command.nonce, this.deps.clock.nowUs());
    if (nonce === 'replayed') return { ok: false, reason: 'replayed' };
    if (nonce === 'full') return { ok: false, reason: 'replay-cache-full' };
    if (!this.deps.persist('nonce', `${command.keyId}\u0000${command.nonce}`)) {
      return { ok: false, reason: 'replay-cache-unwritable' };
    }
    return { ok: true, command, operator: key.operator };
  }
}

/** The payload parsed as JSON, or undefined when it is not JSON. */
export function parseCommandJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** A string member usable as an id in results and audit (only if it is a well-formed id). */
export function readableField(parsed: unknown, name: 'id' | 'keyId'): string | null {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const value = (parsed as Record<string, unknown>)[name];
  return typeof value === 'string' && ID_PATTERN.test(value) ? value : null;
}
