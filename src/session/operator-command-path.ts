import { createHash, createHmac } from 'node:crypto';
import {
  type AuditSink,
  type CommandDraft,
  type CommandExecutor,
  OperatorKey,
  type OperatorKeyring,
  TopicTree,
  needsTwoOperators,
  signCommand,
} from '../bridge/index.js';
import { AuditLog } from '../bridge/audit-log.js';
import { CommandHandler } from '../bridge/command-handler.js';
import type { CommandResultPayload } from '../bridge/schemas/command-result-payload.js';
import type { Clock } from '../time/clock.js';

/**
 * Operators that exist only in a simulated scenario get deterministic keys derived from the
 * scenario seed, so two runs sign the same bytes (recordings stay byte-identical). They never
 * leave the process and are never written anywhere; real benches load key files.
 */
export function simulatedOperatorKey(seed: number, operator: string): OperatorKey {
  // An Ed25519 seed; Ed25519 signatures are deterministic, so the signed bytes repeat too.
  const keySeed = createHmac('sha256', `shieldlink-simulated-operator/${seed}`).update(operator).digest();
  return OperatorKey.fromSeed(`sim-${operator}`, operator, keySeed);
}

/** Options of {@link OperatorCommandPath}. */
export interface OperatorCommandPathOptions {
  readonly nodeId: string;
  readonly clock: Clock;
  /** Wall clock for signing and staleness (a fixed-epoch virtual wall clock in virtual time). */
  readonly wallClock: () => number;
  /** What the command handler verifies with (public keys; the simulated operators' among them). */
  readonly keyring: OperatorKeyring;
  /**
   * The scripted operators' signing keys (simulated keys); an operator without one sends its
   * commands unsigned, and they are refused. The node never signs for a real operator.
   */
  readonly signers: readonly OperatorKey[];
  readonly executor: CommandExecutor;
  readonly audit: AuditSink;
  /** Every result (for logs and the summary). */
  readonly onResult?: (result: CommandResultPayload) => void;
  readonly bootId: string;
}

/**
 * The authorized command path for commands that do not come over MQTT — scenario-scripted
 * operator commands: each is signed with its operator's key and handed to the same
 * `CommandHandler` the bridge uses for network commands (schema, signature, freshness, nonce,
 * two operators for FREE and ARM, audit), then to the same executor.
 */
export class OperatorCommandPath {
  readonly topics: TopicTree;
  readonly results: CommandResultPayload[] = [];
  private readonly handler: CommandHandler;
  private nonceCounter = 0;

  constructor(private readonly options: OperatorCommandPathOptions) {
    this.topics = new TopicTree(options.nodeId);
    const audit = new AuditLog(
      options.nodeId,
      options.bootId,
      options.clock,
      options.wallClock,
      options.audit,
      () => undefined,
    );
    this.handler = new CommandHandler({
      topics: this.topics,
      keyring: options.keyring,
      executor: options.executor,
      clock: options.clock,
      wallClock: options.wallClock,
      audit,
      sendResult: (result) => {
        this.results.push(result);
        options.onResult?.(result);
      },
      republish: () => undefined,
    });
  }

  /**
   * Sign `draft` with each operator's key in turn (one message per operator: the second
   * signature completes a two-operator command; only as many as the command needs) and hand the messages to the command handler.
   * Nonces are derived from the request id, so scripted runs are repeatable.
   */
  submit(draft: Omit<CommandDraft, 'node'>, operators: readonly string[]): void {
    // As many signatures as the command needs: a third signature, or a second on a
    // one-operator command, would only be refused as a duplicate id.
    const signers = operators.slice(0, needsTwoOperators(draft as CommandDraft) ? 2 : 1);
    for (const operator of signers) {
      const key = this.options.signers.find((k) => k.operator === operator);
      const payload =
        key === undefined
          ? // An operator with no key: send the command unsigned; the handler rejects it (fail closed).
            JSON.stringify({
              v: 1,
              ...draft,
              node: this.options.nodeId,
              keyId: `unknown-${operator}`,
              timestamp: Math.round(this.options.wallClock()),
              nonce: this.nonce(draft.id, operator),
            })
          : JSON.stringify(
              signCommand({ ...draft, node: this.options.nodeId } as CommandDraft, key, {
                timestampMs: Math.round(this.options.wallClock()),
                nonce: this.nonce(draft.id, operator),
              }),
            );
      this.handler.handle({
        topic: this.topics.command(draft.verb),
        payload: Buffer.from(payload),
        responseTopic: null,
        correlationData: null,
      });
    }
  }

  private nonce(requestId: string, operator: string): string {
    this.nonceCounter++;
    return createHash('sha256')
      .update(`${requestId}/${operator}/${this.nonceCounter}`)
      .digest('base64url')
      .slice(0, 22);
  }
}
