import type { DropReason, IntakeCounters, PartnerSignatureCheck } from '../sharing/index.js';
import { type EngagementIntentsPayload, MAX_INTENT_MESSAGE_BYTES, engagementIntentsPayload } from './intent-schema.js';

/** One partner as intent intake knows it: its id and how to check its node signature. */
export interface IntentPartner {
  readonly id: string;
  readonly verify: PartnerSignatureCheck;
}

export interface IntentIntakeOptions {
  readonly selfId: string;
  readonly partners: readonly IntentPartner[];
  /** How far in the future `sentAt` may be (clock disagreement), ms (default 2000). */
  readonly futureToleranceMs?: number;
  /** How old `sentAt` may be, ms (default 30000). */
  readonly maxAgeMs?: number;
  /** How long a message waits for a missing earlier one before the gap is skipped, ms (default 2000). */
  readonly gapWaitMs?: number;
  /** Most messages held per partner while waiting for a gap (default 64; beyond, the gap is skipped). */
  readonly maxHeld?: number;
}

/** What intake did with one message. `ready` are the partner messages now in order (possibly none). */
export type IntentVerdict =
  | { readonly ok: true; readonly partnerId: string; readonly ready: readonly EngagementIntentsPayload[] }
  | { readonly ok: false; readonly partnerId: string | null; readonly reason: DropReason; readonly detail: string };

/** Counters per partner, as for shared tracks, plus skipped sequence gaps. */
export interface IntentIntakeCounters extends IntakeCounters {
  /** Messages never received that a later one was applied past (lost on the way). */
  gapsSkipped: number;
}

/** A claim whose planned intercept is further ahead than this (from `sentAt`) is refused. */
export const MAX_PLANNING_HORIZON_MS = 600_000;

const TOPIC = /^shieldlink\/v1\/([^/]+)\/shared\/engagements$/;
const BOOTS_REMEMBERED = 8;

interface SenderState {
  readonly partner: IntentPartner;
  readonly counters: IntentIntakeCounters;
  /** bootId → highest seq accepted (newest boot last). */
  readonly boots: Map<string, number>;
  /** Highest seq applied in the current boot (0 before the first). */
  applied: number;
  currentBoot: string | null;
  /** Accepted but waiting for an earlier seq, by seq, with arrival time (ms). */
  readonly held: Map<number, { msg: EngagementIntentsPayload; rxMs: number }>;
  lastSentAtMs: number;
  /** Seqs of the current boot that a skipped gap passed over (newest last, at most 256). */
  readonly skippedSeqs: number[];
}

/**
 * The gate of partner engagement intents, the same checks and drop reasons as the shared-track
 * intake (src/sharing/partner-intake.ts), cheapest first: size, topic, known partner, UTF-8 JSON,
 * signature present, schema (and no claim's intercept beyond {@link MAX_PLANNING_HORIZON_MS}),
 * sender = topic, time (future-dated or stale `sentAt`), node
 * signature (the partner's key from config), replay (seq not above the last of its boot, or an
 * old boot). Then order: messages are released to the caller strictly by `seq` within a boot; a
 * message after a gap waits up to `gapWaitMs` (or until `maxHeld` wait) for the missing one,
 * then the gap is skipped and counted (the sender's periodic snapshot repairs what it carried).
 * Never throws; state is bounded.
 */
export class IntentIntake {
  private readonly senders = new Map<string, SenderState>();
  private readonly unknown: IntentIntakeCounters = { accepted: 0, dropped: {}, lastDrop: null, gapsSkipped: 0 };
  private readonly futureToleranceMs: number;
  private readonly maxAgeMs: number;
  private readonly gapWaitMs: number;
  private readonly maxHeld: number;

  constructor(private readonly options: IntentIntakeOptions) {
    this.futureToleranceMs = options.futureToleranceMs ?? 2000;
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.gapWaitMs = options.gapWaitMs ?? 2000;
    this.maxHeld = options.maxHeld ?? 64;
    for (const partner of options.partners) {
      this.senders.set(partner.id, {
        partner,
        counters: { accepted: 0, dropped: {}, lastDrop: null, gapsSkipped: 0 },
        boots: new Map(),
        applied: 0,
        currentBoot: null,
        held: new Map(),
        lastSentAtMs: Number.NEGATIVE_INFINITY,
        skippedSeqs: [],
      });
    }
  }

  /** Counters per partner id; `*` holds messages that named no known partner. */
  counters(): Record<string, IntentIntakeCounters> {
    const out: Record<string, IntentIntakeCounters> = { '*': structuredClone(this.unknown) };
    for (const [id, s] of this.senders) out[id] = structuredClone(s.counters);
    return out;
  }

  accept(topic: string, bytes: Uint8Array, nowMs: number): IntentVerdict {
    try {
      return this.check(topic, bytes, nowMs);
    } catch (error) {
      return this.drop(null, 'internal', String(error).slice(0, 200));
    }
  }

  /**
   * Messages whose gap has waited long enough, per partner, in order (call every tick).
   * Returns [partnerId, message] pairs.
   */
  poll(nowMs: number): [string, EngagementIntentsPayload][] {
    const out: [string, EngagementIntentsPayload][] = [];
    for (const [id, s] of this.senders) {
      if (s.held.size === 0) continue;
      const oldest = Math.min(...[...s.held.values()].map((h) => h.rxMs));
      if (nowMs - oldest < this.gapWaitMs && s.held.size <= this.maxHeld) continue;
      for (const msg of this.skipGap(s)) out.push([id, msg]);
    }
    return out;
  }

  private check(topic: string, bytes: Uint8Array, nowMs: number): IntentVerdict {
    const match = TOPIC.exec(topic);
    const claimed = match?.[1] ?? null;
    const s = claimed === null ? undefined : this.senders.get(claimed);
    const partnerId = s === undefined ? null : claimed;
    if (bytes.length > MAX_INTENT_MESSAGE_BYTES)
      return this.drop(partnerId, 'oversized', `${bytes.length} bytes > ${MAX_INTENT_MESSAGE_BYTES}`);
    if (match === null) return this.drop(null, 'bad-topic', topic.slice(0, 200));
    if (s === undefined || claimed === this.options.selfId)
      return this.drop(null, 'unknown-partner', `no partner '${claimed!.slice(0, 64)}' in config`);
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      return this.drop(partnerId, 'malformed-json', 'not UTF-8 JSON');
    }
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !('nodeSig' in raw))
      return this.drop(partnerId, 'unsigned', 'no nodeSig');
    const parsed = engagementIntentsPayload.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.drop(partnerId, 'schema', `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`);
    }
    const msg = parsed.data;
    if (msg.nodeId !== claimed)
      return this.drop(partnerId, 'misrouted', `payload from '${msg.nodeId}' on '${claimed}'s topic`);
    const sentAtMs = Date.parse(msg.sentAt);
    if (sentAtMs > nowMs + this.futureToleranceMs)
      return this.drop(
        partnerId,
        'future-dated',
        `${sentAtMs - nowMs} ms ahead (tolerance ${this.futureToleranceMs} ms)`,
      );
    if (sentAtMs < nowMs - this.maxAgeMs)
      return this.drop(partnerId, 'stale', `${nowMs - sentAtMs} ms old (maximum ${this.maxAgeMs} ms)`);
    const far = msg.intents.find(
      (i) => i.type === 'claim' && Date.parse(i.interceptAt) > sentAtMs + MAX_PLANNING_HORIZON_MS,
    );
    if (far !== undefined)
      return this.drop(partnerId, 'schema', `claim intercept more than ${MAX_PLANNING_HORIZON_MS} ms after sentAt`);
    const signature = s.partner.verify(raw);
    if (signature !== 'valid') return this.drop(partnerId, signature, `key of '${claimed}' from config`);

    const knownBoot = s.boots.has(msg.bootId);
    if (knownBoot && msg.bootId !== s.currentBoot)
      return this.drop(partnerId, 'replayed', `boot ${msg.bootId} is not the partner's current boot`);
    if (msg.bootId === s.currentBoot && s.held.has(msg.seq))
      return this.drop(partnerId, 'replayed', `seq ${msg.seq} of boot ${msg.bootId} already taken`);
    if (msg.bootId === s.currentBoot && msg.seq <= s.applied) {
      return s.skippedSeqs.includes(msg.seq)
        ? this.drop(partnerId, 'stale', `seq ${msg.seq} arrived after its gap was skipped`)
        : this.drop(partnerId, 'replayed', `seq ${msg.seq} of boot ${msg.bootId} already taken`);
    }
    if (!knownBoot && sentAtMs <= s.lastSentAtMs)
      return this.drop(partnerId, 'replayed', `new boot ${msg.bootId} sent no later than the last message`);

    // Accepted: the replay memory moves now.
    const highest = Math.max(s.boots.get(msg.bootId) ?? 0, msg.seq);
    s.boots.delete(msg.bootId);
    s.boots.set(msg.bootId, highest);
    while (s.boots.size > BOOTS_REMEMBERED) s.boots.delete(s.boots.keys().next().value!);
    s.lastSentAtMs = Math.max(s.lastSentAtMs, sentAtMs);
    s.counters.accepted += 1;
    return { ok: true, partnerId: claimed!, ready: this.order(s, msg, nowMs) };
  }

  /**
   * In-order release within a boot; a new boot starts afresh at seq 1 (what the old one had held
   * is let go first). A receiver that joins late waits `gapWaitMs` for the seqs it never saw.
   */
  private order(s: SenderState, msg: EngagementIntentsPayload, nowMs: number): EngagementIntentsPayload[] {
    if (msg.bootId !== s.currentBoot) {
      const ready = this.skipGap(s); // the old boot's held messages go first, in order
      s.currentBoot = msg.bootId;
      s.skippedSeqs.length = 0;
      s.applied = 0; // a boot starts at seq 1: a later first message waits for the earlier ones
      ready.push(...this.order(s, msg, nowMs));
      return ready;
    }
    if (msg.seq !== s.applied + 1) {
      s.held.set(msg.seq, { msg, rxMs: nowMs });
      return s.held.size > this.maxHeld ? this.skipGap(s) : [];
    }
    s.applied = msg.seq;
    const ready = [msg];
    this.drainHeld(s, ready);
    return ready;
  }

  private drainHeld(s: SenderState, ready: EngagementIntentsPayload[]): void {
    for (;;) {
      const next = s.held.get(s.applied + 1);
      if (next === undefined) return;
      s.held.delete(s.applied + 1);
      s.applied += 1;
      ready.push(next.msg);
    }
  }

  /** Apply past the first gap: the lowest held seq becomes the next. */
  private skipGap(s: SenderState): EngagementIntentsPayload[] {
    const ready: EngagementIntentsPayload[] = [];
    while (s.held.size > 0) {
      const lowest = Math.min(...s.held.keys());
      s.counters.gapsSkipped += lowest - s.applied - 1;
      for (let q = Math.max(s.applied + 1, lowest - 256); q < lowest; q++) s.skippedSeqs.push(q);
      if (s.skippedSeqs.length > 256) s.skippedSeqs.splice(0, s.skippedSeqs.length - 256);
      s.applied = lowest - 1;
      this.drainHeld(s, ready);
    }
    return ready;
  }

  private drop(partnerId: string | null, reason: DropReason, detail: string): IntentVerdict {
    const counters = partnerId === null ? this.unknown : this.senders.get(partnerId)!.counters;
    counters.dropped[reason] = (counters.dropped[reason] ?? 0) + 1;
    counters.lastDrop = { reason, detail };
    return { ok: false, partnerId, reason, detail };
  }
}
