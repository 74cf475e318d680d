import { AuditLog } from '../../../src/bridge/audit-log.js';
import { CommandHandler, type CommandHandlerOptions, type ReplyTo } from '../../../src/bridge/command-handler.js';
import { type CommandDraft, signCommand } from '../../../src/bridge/command-signer.js';
import { OperatorKey } from '../../../src/bridge/operator-key.js';
import { OperatorKeyring } from '../../../src/bridge/operator-keyring.js';
import type { AuditRecord } from '../../../src/bridge/schemas/audit-record-payload.js';
import type { CommandRequest } from '../../../src/bridge/schemas/command-request.js';
import type { CommandResultPayload } from '../../../src/bridge/schemas/command-result-payload.js';
import { TopicTree } from '../../../src/bridge/topic-tree.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';
import { RecordingExecutor } from './recording-executor.js';

export const NODE = 'node-a';
export const WALL_START_MS = 1_900_000_000_000;

/** Test keys: alice has two keys (one operator), bob one; mallory's key is not in the keyring. */
export const KEYS = {
  alice: OperatorKey.fromSeed('alice-1', 'alice', Buffer.alloc(32, 0xa1)),
  alice2: OperatorKey.fromSeed('alice-2', 'alice', Buffer.alloc(32, 0xa2)),
  bob: OperatorKey.fromSeed('bob-1', 'bob', Buffer.alloc(32, 0xb1)),
  mallory: OperatorKey.fromSeed('mallory-1', 'mallory', Buffer.alloc(32, 0x66)),
};

/** Private key seeds of KEYS, for "no key material anywhere" checks. */
export const KEY_SECRETS = [0xa1, 0xa2, 0xb1, 0x66].map((b) => Buffer.alloc(32, b));

/** A `CommandHandler` on a virtual clock with a recording executor and captured output. */
export function commandHarness(options: CommandHandlerOptions = {}, keyring?: OperatorKeyring) {
  const clock = new VirtualClock();
  const wall = { ms: WALL_START_MS };
  const wallClock = (): number => wall.ms + clock.nowUs() / 1000;
  const topics = new TopicTree(NODE);
  const executor = new RecordingExecutor();
  const audits: AuditRecord[] = [];
  const results: { result: CommandResultPayload; replyTo: ReplyTo | null }[] = [];
  let republished = 0;
  const audit = new AuditLog(NODE, 'boot-1', clock, wallClock, { record: (r) => audits.push(r) }, () => undefined);
  const handler = new CommandHandler(
    {
      topics,
      keyring: keyring ?? new OperatorKeyring([KEYS.alice.public, KEYS.alice2.public, KEYS.bob.public]),
      executor,
      clock,
      wallClock,
      audit,
      sendResult: (result, replyTo) => results.push({ result, replyTo }),
      republish: () => republished++,
    },
    options,
  );

  const raw = (topicVerb: string, payload: string | Buffer, responseTopic: string | null = null): void =>
    handler.handle({
      topic: `${topics.prefix}commands/${topicVerb}`,
      payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
      responseTopic,
      correlationData: responseTopic === null ? null : Buffer.from('corr'),
    });

  const sign = (
    draft: Omit<CommandDraft, 'node'> & { node?: string },
    key: OperatorKey,
    skewMs = 0,
    nonce?: string,
  ): CommandRequest =>
    signCommand({ node: NODE, ...draft } as CommandDraft, key, { timestampMs: wallClock() + skewMs, nonce });

  const send = (command: CommandRequest | Record<string, unknown>, topicVerb?: string): void =>
    raw(topicVerb ?? String(command.verb), JSON.stringify(command));

  const resultsFor = (id: string | null): CommandResultPayload[] =>
    results.filter((r) => r.result.id === id).map((r) => r.result);

  return {
    clock,
    wall,
    topics,
    executor,
    audits,
    results,
    handler,
    raw,
    sign,
    send,
    resultsFor,
    get republished() {
      return republished;
    },
    /** Let promise jobs settle (executor outcomes) without moving virtual time. */
    settle: () => clock.advance(0),
  };
}
