import { createHash } from 'node:crypto';
import type { Clock, TimerHandle } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import type { AuditBudget } from './audit-budget.js';
import type { AuditLog } from './audit-log.js';
import type { InboundMessage } from './broker-link.js';
import type { CommandExecutor, CommandOutcome, CommandProgress, VerifiedCommand } from './command-executor.js';
import {
  commandResultPayload,
  normalise,
  type ReplyTo,
  type ResultBase,
  type ResultOutcome,
} from './command-result.js';
import { CommandVerifier, parseCommandJson, readableField, type Verdict } from './command-verifier.js';
import { NonceCache } from './nonce-cache.js';
import type { OperatorKeyring } from './operator-keyring.js';
import { isoOf } from './payload-sanitizer.js';
import type { ReplayStoreOpened } from './replay-store.js';
import { type CommandRequest, isCommandVerb } from './schemas/command-request.js';
import type { CommandResultPayload } from './schemas/command-result-payload.js';
import type { TopicTree } from './topic-tree.js';
import { needsTwoOperators, type PendingApproval, TwoOperatorGate } from './two-operator-gate.js';

export type { ReplyTo } from './command-result.js';

export interface CommandHandlerOptions {
  /** A command whose timestamp is further than this from the bridge's wall clock is stale (default 5000 ms). */
  readonly staleAfterMs?: number;
  /** Window for the second operator of FREE / ARM (default 30,000 ms). */
  readonly twoOperatorWindowMs?: number;
  /** The executor's deadline for a final outcome (default 10,000 ms). */
  readonly commandTimeoutMs?: number;
  /** Larger payloads are rejected unread (default 8192 bytes). */
  readonly maxPayloadBytes?: number;
  /** Commands executing at once, at most (default 64; more are rejected `busy`). */
  readonly maxRunningCommands?: number;
  /** Two-operator commands waiting for their second operator, at most (default 16). */
  readonly maxPendingApprovals?: number;
  /** Nonces remembered at most (default 100,000; when full, commands are rejected). */
  readonly maxNonces?: number;
  /** Finished command ids remembered to refuse a repeat (default 10,000, oldest forgotten first). */
  readonly rememberedIds?: number;
}

export interface CommandHandlerDeps {
  readonly topics: TopicTree;
  readonly keyring: OperatorKeyring;
  readonly executor: CommandExecutor;
  readonly clock: Clock;
  readonly wallClock: () => number;
  readonly audit: AuditLog;
  /** Publish a result (the bridge sends it to `commands/result` and to `replyTo`). */
  readonly sendResult: (result: CommandResultPayload, replyTo: ReplyTo | null) => void;
  /** Re-publish the full state (the `republish` verb). */
  readonly republish: () => void;
  /**
   * Rejected messages beyond each source's allowance are counted, not audited or answered one by
   * one (default: every one is audited and answered).
   */
  readonly budget?: AuditBudget;
  /**
   * The replay cache on disk (nonces and executed ids within the window survive a restart). When
   * it was not intact (first start, file lost or damaged), a command signed before this handler
   * was created is refused `signed-before-start`: its nonce cannot be proved unseen. Without a
   * store nothing survives a restart (tests, virtual-time runs).
   */
  readonly replayStore?: ReplayStoreOpened;
}

interface Running {
  stage: 'execution' | 'completion';
  done: boolean;
  readonly timer: TimerHandle;
  readonly operators: readonly string[];
  readonly replyTo: ReplyTo | null;
  readonly verb: string;
}

/**
 * Turns inbound command messages into results, failing closed: a message is executed only after
 * every check passed (docs/mqtt.md §Commands gives the order). `handle` never throws; bad input
 * of any kind gets a `rejected` result with a reason, and every message and result is audited.
 */
export class CommandHandler {
  private readonly staleAfterMs: number;
  private readonly timeoutUs: number;
  private readonly maxPayloadBytes: number;
  private readonly maxRunning: number;
  private readonly rememberedIds: number;
  private readonly nonces: NonceCache;
  private readonly verifier: CommandVerifier;
  private readonly gate: TwoOperatorGate;
  private readonly running = new Map<string, Running>();
  private readonly finished = new Set<string>();
  private readonly pendingReplies = new Map<string, ReplyTo | null>();
  private received = 0;
  private rejected = 0;
  private stopped = false;
  private readonly startedAtMs: number;
  private readonly nonceLifetimeMs: number;

  constructor(
    private readonly deps: CommandHandlerDeps,
    options: CommandHandlerOptions = {},
  ) {
    this.staleAfterMs = options.staleAfterMs ?? 5_000;
    this.timeoutUs = (options.commandTimeoutMs ?? 10_000) * US_PER_MS;
    this.maxPayloadBytes = options.maxPayloadBytes ?? 8192;
    this.maxRunning = options.maxRunningCommands ?? 64;
    this.rememberedIds = options.rememberedIds ?? 10_000;
    this.nonceLifetimeMs = 2 * this.staleAfterMs;
    this.nonces = new NonceCache(this.nonceLifetimeMs * US_PER_MS, options.maxNonces ?? 100_000);
    this.startedAtMs = deps.wallClock();
    this.verifier = new CommandVerifier({
      ...deps,
      staleAfterMs: this.staleAfterMs,
      maxPayloadBytes: this.maxPayloadBytes,
      startedAtMs: this.startedAtMs,
      nonces: this.nonces,
      persist: (kind, key) => this.persist(kind, key),
    });
    this.restore();
    this.gate = new TwoOperatorGate(
      deps.clock,
      options.twoOperatorWindowMs ?? 30_000,
      options.maxPendingApprovals ?? 16,
      (approval) => this.approvalExpired(approval),
    );
  }

  get stats(): { received: number; rejected: number; pending: number } {
    return { received: this.received, rejected: this.rejected, pending: this.running.size + this.gate.size };
  }

  /** One message on `commands/<verb>` (anything else is ignored). Never throws. */
  handle(message: InboundMessage): void {
    const topicVerb = this.deps.topics.verbOf(message.topic);
    if (topicVerb === undefined || topicVerb === 'result') return;
    this.received++;
    const replyTo =
      message.responseTopic !== null && this.deps.topics.isAllowedResponseTopic(message.responseTopic)
        ? { topic: message.responseTopic, correlationData: message.correlationData }
        : null;
    let parsed: unknown;
    let verdict: Verdict;
    try {
      parsed = message.payload.length > this.maxPayloadBytes ? undefined : parseCommandJson(message.payload);
      verdict = this.stopped
        ? { ok: false, reason: 'shutting-down' }
        : this.verifier.verify(topicVerb, message.payload, parsed);
    } catch (error) {
      verdict = { ok: false, reason: 'invalid-payload', detail: String((error as Error).message).slice(0, 200) };
    }
    const id = readableField(parsed, 'id');
    const verb = isCommandVerb(topicVerb) ? topicVerb : null;
    const keyId = readableField(parsed, 'keyId');
    if (!verdict.ok && this.deps.budget !== undefined) {
      const source = keyId !== null && this.deps.keyring.get(keyId) !== undefined ? `key:${keyId}` : 'anonymous';
      if (!this.deps.budget.admit(source, verdict.reason)) {
        this.rejected++;
        return;
      }
    }
    this.deps.audit.command({
      topicVerb: topicVerb.slice(0, 64),
      id,
      verb,
      keyId,
      operator: keyId === null ? null : (this.deps.keyring.get(keyId)?.operator ?? null),
      authenticated: verdict.ok,
      args: verdict.ok ? { ...(verdict.command.args as Record<string, string>) } : null,
      payloadBytes: message.payload.length,
      payloadSha256: createHash('sha256').update(message.payload).digest('hex'),
    });
    const base = { id, verb, operators: verdict.ok ? [verdict.operator] : [], replyTo };
    if (!verdict.ok) {
      this.reject(base, verdict.reason, verdict.detail);
      return;
    }
    this.authorised(verdict.command, verdict.operator, replyTo);
  }

  /** Stop: waiting approvals and running commands get their final result now. */
  shutdown(): void {
    this.stopped = true;
    for (const approval of this.gate.drain()) {
      this.result(
        { id: approval.command.id, verb: approval.command.verb, operators: [approval.operator], replyTo: null },
        { status: 'rejected', reason: 'shutting-down' },
      );
    }
    for (const [id, run] of this.running) {
      run.done = true;
      run.timer.cancel();
      this.result(
        { id, verb: run.verb, operators: run.operators, replyTo: run.replyTo },
        { status: 'timed_out', stage: 'shutdown' },
      );
    }
    this.running.clear();
  }

  private authorised(command: CommandRequest, operator: string, replyTo: ReplyTo | null): void {
    const base = { id: command.id, verb: command.verb, operators: [operator], replyTo };
    const twoOperators = needsTwoOperators(command);
    if (this.finished.has(command.id) || this.running.has(command.id) || (!twoOperators && this.gate.has(command.id))) {
      this.reject(base, 'duplicate-id');
      return;
    }
    if (!this.persist('id', command.id)) {
      this.reject(base, 'replay-cache-unwritable');
      return;
    }
    if (command.verb === 'republish') {
      this.deps.republish();
      this.finish(command.id);
      this.result(base, { status: 'completed' });
      return;
    }
    if (!twoOperators) {
      this.execute(command, [{ operator, keyId: command.keyId }], command.timestamp, replyTo);
      return;
    }
    const verdict = this.gate.approve(command, operator);
    if (verdict.kind === 'reject') {
      this.reject(base, verdict.reason);
    } else if (verdict.kind === 'first') {
      this.pendingReplies.set(command.id, replyTo);
      this.result(base, { status: 'pending', expiresAt: isoOf(this.deps.wallClock() + verdict.expiresInMs) });
    } else {
      this.pendingReplies.delete(command.id);
      const first = verdict.first;
      const signers = [
        { operator: first.operator, keyId: first.keyId },
        { operator, keyId: command.keyId },
      ];
      this.execute(command, signers, first.command.timestamp, replyTo);
    }
  }

  private execute(
    command: CommandRequest,
    signers: readonly { operator: string; keyId: string }[],
    signedAtMs: number,
    replyTo: ReplyTo | null,
  ): void {
    const operators = signers.map((s) => s.operator);
    const base = { id: command.id, verb: command.verb, operators, replyTo };
    if (this.running.size >= this.maxRunning) {
      this.reject(base, 'busy');
      return;
    }
    const id = command.id;
    const run: Running = {
      stage: 'execution',
      done: false,
      operators,
      replyTo,
      verb: command.verb,
      timer: this.deps.clock.setTimer(this.timeoutUs, () => {
        if (run.done) return;
        run.done = true;
        this.running.delete(id);
        this.finish(id);
        this.result(base, { status: 'timed_out', stage: run.stage });
      }),
    };
    this.running.set(id, run);
    const verified = {
      id,
      verb: command.verb,
      args: command.args,
      operators,
      keyIds: signers.map((s) => s.keyId),
      signedAtMs,
      authorizedAtUs: this.deps.clock.nowUs(),
    } as VerifiedCommand;
    const settle = (outcome: CommandOutcome): void => {
      if (run.done) {
        this.deps.audit.outcome(
          commandResultPayload(this.deps.topics.nodeId, this.deps.wallClock(), base, normalise(outcome)),
          true,
        );
        return;
      }
      run.done = true;
      run.timer.cancel();
      this.running.delete(id);
      this.finish(id);
      this.result(base, normalise(outcome));
    };
    const progress = (update: CommandProgress): void => {
      if (run.done || run.stage === 'completion') return;
      run.stage = 'completion';
      const detail = typeof update?.detail === 'string' ? update.detail : undefined;
      this.result(base, { status: 'accepted', detail });
    };
    let promise: Promise<CommandOutcome>;
    try {
      promise = this.deps.executor.execute(verified, progress);
    } catch (error) {
      settle({ status: 'rejected', reason: 'executor-error', detail: String((error as Error)?.message ?? error) });
      return;
    }
    Promise.resolve(promise).then(settle, (error: unknown) =>
      settle({ status: 'rejected', reason: 'executor-error', detail: String((error as Error)?.message ?? error) }),
    );
  }

  /** Entries of the replay cache from before this start: nonces and executed ids, still in the window. */
  private restore(): void {
    const opened = this.deps.replayStore;
    if (opened === undefined) return;
    const nowUs = this.deps.clock.nowUs();
    for (const entry of opened.entries) {
      const leftMs = Math.max(0, this.nonceLifetimeMs - (this.startedAtMs - entry.seenAtMs));
      if (entry.kind === 'id') this.finish(entry.key);
      else this.nonces.restore(entry.key, nowUs + leftMs * US_PER_MS);
    }
  }

  /** Write one entry to the replay cache before acting on it; false when that failed (fail closed). */
  private persist(kind: 'nonce' | 'id', key: string): boolean {
    const store = this.deps.replayStore?.store;
    if (store === undefined) return true;
    try {
      store.add({ kind, key, seenAtMs: this.deps.wallClock() });
      return true;
    } catch {
      return false;
    }
  }

  private approvalExpired(approval: PendingApproval): void {
    const replyTo = this.pendingReplies.get(approval.command.id) ?? null;
    this.pendingReplies.delete(approval.command.id);
    this.finish(approval.command.id);
    this.result(
      { id: approval.command.id, verb: approval.command.verb, operators: [approval.operator], replyTo },
      { status: 'rejected', reason: 'no-second-operator' },
    );
    this.rejected++;
  }

  private finish(id: string): void {
    this.finished.add(id);
    if (this.finished.size > this.rememberedIds) this.finished.delete(this.finished.values().next().value!);
  }

  private reject(base: ResultBase, reason: string, detail?: string): void {
    this.rejected++;
    this.result(base, { status: 'rejected', reason, detail });
  }

  private result(base: ResultBase, outcome: ResultOutcome): void {
    const payload = commandResultPayload(this.deps.topics.nodeId, this.deps.wallClock(), base, outcome);
    this.deps.audit.outcome(payload, false);
    this.deps.sendResult(payload, base.replyTo);
  }
}
