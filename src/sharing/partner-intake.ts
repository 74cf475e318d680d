import { GeofenceTest } from './geofence.js';
import { passesSharedTracksFastCheck } from './shared-tracks-check.js';
import { ecefToGeodetic } from '../geo/index.js';
import type { DeclaredPolicy } from './release-policy.js';
import {
  MAX_SHARED_MESSAGE_BYTES,
  type ReleasableField,
  type SharedTrackEntry,
  type SharedTracksPayload,
  sharedTracksPayload,
} from './shared-tracks-schema.js';

/** Why a partner message was dropped. Each is counted per partner and shown in status. */
export const DROP_REASONS = [
  'oversized',
  'bad-topic',
  'unknown-partner',
  'malformed-json',
  'schema',
  'misrouted',
  'unsigned',
  'bad-signature',
  'future-dated',
  'stale',
  'replayed',
  'fused-track',
  'foreign-pedigree',
  'policy-identity',
  'policy-geofence',
  'policy-field',
  'policy-rate',
  'internal',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Checks a partner's node signature on a parsed payload (`NodePublicKey.verifyPayload`). Never throws. */
export type PartnerSignatureCheck = (payload: unknown) => 'valid' | 'unsigned' | 'bad-signature';

/** One partner as intake knows it. */
export interface IntakePartner {
  readonly id: string;
  readonly verify: PartnerSignatureCheck;
  /** What the partner said it would send; absent: not checked beyond schema, signature, time, pedigree. */
  readonly declared?: DeclaredPolicy;
}

export interface IntakeOptions {
  /** This node: messages must be addressed `to` it. */
  readonly selfId: string;
  readonly partners: readonly IntakePartner[];
  /** Largest accepted payload, bytes (default and maximum {@link MAX_SHARED_MESSAGE_BYTES}). */
  readonly maxBytes?: number;
  /** How far in the future `sentAt`/`validAt` may be (clock disagreement), ms (default 2000). */
  readonly futureToleranceMs?: number;
  /** How old `sentAt`/`validAt` may be, ms (default 30000). */
  readonly maxAgeMs?: number;
}

export type IntakeVerdict =
  | { readonly ok: true; readonly partnerId: string; readonly message: SharedTracksPayload }
  | { readonly ok: false; readonly partnerId: string | null; readonly reason: DropReason; readonly detail: string };

/** Per-partner counters (status `partners.<id>.intake`). */
export interface IntakeCounters {
  accepted: number;
  dropped: Partial<Record<DropReason, number>>;
  lastDrop: { reason: DropReason; detail: string } | null;
}

const TOPIC = /^shieldlink\/v1\/([^/]+)\/shared\/tracks\/([^/]+)$/;
const BOOTS_REMEMBERED = 8;

interface PartnerState {
  readonly partner: IntakePartner;
  readonly fence: GeofenceTest | null;
  readonly counters: IntakeCounters;
  /** bootId → highest accepted seq (at most {@link BOOTS_REMEMBERED}, newest last). */
  readonly boots: Map<string, number>;
  lastSentAtMs: number;
}

/**
 * The gate every partner message passes before anything else sees it. `accept(topic, bytes,
 * nowMs)` checks, cheapest first: size, topic, known partner, UTF-8 JSON, schema, addressee and
 * sender, time (future-dated beyond the tolerance, or older than the maximum age), node signature
 * (the partner's public key from config), replay (seq not above the last accepted of its boot, or
 * an old boot), pedigree (a fused track or another node's track: no data incest) and what the
 * partner declared it would send (identities, geofence, fields, rate). A message is taken whole or
 * dropped whole, with a typed reason, counted per partner. Never throws; state is bounded.
 */
export class PartnerIntake {
  private readonly states = new Map<string, PartnerState>();
  private readonly unknownCounters: IntakeCounters = { accepted: 0, dropped: {}, lastDrop: null };
  private readonly maxBytes: number;
  private readonly futureToleranceMs: number;
  private readonly maxAgeMs: number;

  constructor(private readonly options: IntakeOptions) {
    this.maxBytes = Math.min(options.maxBytes ?? MAX_SHARED_MESSAGE_BYTES, MAX_SHARED_MESSAGE_BYTES);
    this.futureToleranceMs = options.futureToleranceMs ?? 2000;
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    for (const partner of options.partners) {
      this.states.set(partner.id, {
        partner,
        fence: partner.declared === undefined ? null : new GeofenceTest(partner.declared.geofence),
        counters: { accepted: 0, dropped: {}, lastDrop: null },
        boots: new Map(),
        lastSentAtMs: Number.NEGATIVE_INFINITY,
      });
    }
  }

  /** Counters per partner id; `*` holds messages that named no known partner. */
  counters(): Record<string, IntakeCounters> {
    const out: Record<string, IntakeCounters> = { '*': structuredClone(this.unknownCounters) };
    for (const [id, s] of this.states) out[id] = structuredClone(s.counters);
    return out;
  }

  accept(topic: string, payload: Uint8Array, nowMs: number): IntakeVerdict {
    try {
      return this.check(topic, payload, nowMs);
    } catch (error) {
      return this.drop(null, 'internal', String(error).slice(0, 200));
    }
  }

  private check(topic: string, bytes: Uint8Array, nowMs: number): IntakeVerdict {
    const match = TOPIC.exec(topic);
    const claimed = match?.[1] ?? null;
    const state = claimed === null ? undefined : this.states.get(claimed);
    const partnerId = state === undefined ? null : claimed;
    if (bytes.length > this.maxBytes)
      return this.drop(partnerId, 'oversized', `${bytes.length} bytes > ${this.maxBytes}`);
    if (match === null) return this.drop(null, 'bad-topic', topic.slice(0, 200));
    if (state === undefined)
      return this.drop(null, 'unknown-partner', `no partner '${claimed!.slice(0, 64)}' in config`);
    if (match[2] !== this.options.selfId)
      return this.drop(partnerId, 'misrouted', `topic addressed to '${match[2]!.slice(0, 64)}'`);

    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      return this.drop(partnerId, 'malformed-json', 'not UTF-8 JSON');
    }
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !('nodeSig' in raw)) {
      return this.drop(partnerId, 'unsigned', 'no nodeSig');
    }
    let msg: SharedTracksPayload;
    // The hand-written check passes only what the schema accepts as it is; the rest goes to the
    // schema, which accepts it or gives the reason.
    if (passesSharedTracksFastCheck(raw)) msg = raw;
    else {
      const parsed = sharedTracksPayload.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return this.drop(partnerId, 'schema', `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`);
      }
      msg = parsed.data;
    }
    if (msg.nodeId !== claimed)
      return this.drop(partnerId, 'misrouted', `payload from '${msg.nodeId}' on '${claimed}'s topic`);
    if (msg.to !== this.options.selfId) return this.drop(partnerId, 'misrouted', `payload addressed to '${msg.to}'`);

    const sentAtMs = Date.parse(msg.sentAt);
    const times = [sentAtMs, ...msg.tracks.map((e) => Date.parse(e.validAt))];
    const latest = Math.max(...times);
    const earliest = Math.min(...times);
    if (latest > nowMs + this.futureToleranceMs) {
      return this.drop(
        partnerId,
        'future-dated',
        `${latest - nowMs} ms ahead (tolerance ${this.futureToleranceMs} ms)`,
      );
    }
    if (earliest < nowMs - this.maxAgeMs) {
      return this.drop(partnerId, 'stale', `${nowMs - earliest} ms old (maximum ${this.maxAgeMs} ms)`);
    }

    const signature = state.partner.verify(raw);
    if (signature !== 'valid') return this.drop(partnerId, signature, `key of '${claimed}' from config`);

    const lastSeq = state.boots.get(msg.bootId);
    const newestBoot = [...state.boots.keys()].at(-1);
    if (lastSeq !== undefined && msg.seq <= lastSeq) {
      return this.drop(partnerId, 'replayed', `seq ${msg.seq} ≤ ${lastSeq} of boot ${msg.bootId}`);
    }
    if (lastSeq !== undefined && msg.bootId !== newestBoot) {
      return this.drop(partnerId, 'replayed', `boot ${msg.bootId} is not the partner's current boot`);
    }
    if (lastSeq === undefined && sentAtMs <= state.lastSentAtMs) {
      return this.drop(partnerId, 'replayed', `new boot ${msg.bootId} sent no later than the last message`);
    }

    for (const entry of msg.tracks) {
      const violation = this.pedigreeOrPolicy(state, entry, claimed!);
      if (violation !== null) return this.drop(partnerId, violation[0], `track ${entry.trackId}: ${violation[1]}`);
    }
    const declared = state.partner.declared;
    if (declared !== undefined && sentAtMs - state.lastSentAtMs < 500 / declared.maxRateHz) {
      return this.drop(
        partnerId,
        'policy-rate',
        `${sentAtMs - state.lastSentAtMs} ms after the last (declared ${declared.maxRateHz} Hz)`,
      );
    }

    // Accepted: only now does the replay memory move.
    state.boots.delete(msg.bootId);
    state.boots.set(msg.bootId, msg.seq);
    while (state.boots.size > BOOTS_REMEMBERED) state.boots.delete(state.boots.keys().next().value!);
    state.lastSentAtMs = Math.max(state.lastSentAtMs, sentAtMs);
    state.counters.accepted += 1;
    return { ok: true, partnerId: claimed!, message: msg };
  }

  private pedigreeOrPolicy(
    state: PartnerState,
    entry: SharedTrackEntry,
    partnerId: string,
  ): [DropReason, string] | null {
    if (entry.pedigree.fused) return ['fused-track', 'a fused track (data incest)'];
    if (entry.pedigree.node !== partnerId) return ['foreign-pedigree', `made by '${entry.pedigree.node}', relayed`];
    const declared = state.partner.declared;
    if (declared === undefined) return null;
    if (entry.identity !== undefined && !declared.identities.includes(entry.identity)) {
      return ['policy-identity', `identity ${entry.identity} not declared`];
    }
    const [x, y, z] = entry.ecefM;
    if (!state.fence!.contains(ecefToGeodetic({ x, y, z })))
      return ['policy-geofence', 'outside the declared geofence'];
    const present: [ReleasableField, boolean][] = [
      ['velocity', entry.ecefMps !== undefined],
      ['covariance', entry.covariance !== undefined],
      ['identity', entry.identity !== undefined],
      ['quality', entry.quality !== undefined],
      ['sensors', entry.pedigree.sensors !== undefined],
    ];
    for (const [field, here] of present) {
      if (here && !declared.fields.includes(field)) return ['policy-field', `field ${field} not declared`];
    }
    return null;
  }

  private drop(partnerId: string | null, reason: DropReason, detail: string): IntakeVerdict {
    const counters = partnerId === null ? this.unknownCounters : this.states.get(partnerId)!.counters;
    counters.dropped[reason] = (counters.dropped[reason] ?? 0) + 1;
    counters.lastDrop = { reason, detail };
    return { ok: false, partnerId, reason, detail };
  }
}
