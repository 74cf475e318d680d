import type { ControlEvent, ControlInput, EngagementEvent, PartnerHoldsInput } from '../control/index.js';
import { ClaimBook, type HeldClaim, claimIntentOf } from './claim-book.js';
import type { CoordinationEvent } from './coordination-events.js';
import { type Ownership, decideOwners, memberKey } from './deconfliction.js';
import { DuplicateWatch } from './duplicate-watch.js';
import { IntentIntake, type IntentIntakeCounters, type IntentVerdict } from './intent-intake.js';
import {
  type ClaimIntent,
  ENGAGEMENT_INTENTS_KIND,
  type EngagementIntent,
  type EngagementIntentsPayload,
  MAX_INTENTS_PER_MESSAGE,
  type UnsignedEngagementIntents,
  engagementsTopic,
  isoOfMs,
} from './intent-schema.js';
import { IntentSpool } from './intent-spool.js';
import { KillAssessment } from './kill-assessment.js';
import { ThreatNames } from './threat-names.js';
import { heldTracks } from './held-tracks.js';
import type {
  CoordinationCounters,
  CoordinationOptions,
  CoordinationTick,
  OutgoingIntents,
  ThreatView,
} from './coordination-types.js';
import { claimIdOf, intentsOfEngagement } from './own-intents.js';
import { type CoordinationLinkState, PartnerLinks } from './partner-links.js';
import { type HeldRequest, PartnerRequests } from './partner-requests.js';

/** Coordination with one partner, as {@link CoordinationAgent.status} reports it. */
export interface PartnerCoordinationStatus {
  readonly link: CoordinationLinkState;
  /** UTC ms the link entered that state (null: never heard). */
  readonly sinceMs: number | null;
  /** UTC ms of the partner's last valid intent message (null: none). */
  readonly lastHeardMs: number | null;
  /** The partner's claims held here. */
  readonly claims: number;
  readonly intake: IntentIntakeCounters;
}

/** Own ended FIREs restated in snapshots for this long (so a partner finds duplicates after a partition). */
const RECENT_WINDOW_MS = 120_000;

/**
 * Engagement coordination for one node (docs/decisions/0024-engagement-coordination.md). Call, in
 * this order, every tick of the node:
 *
 *  1. `receive(topic, bytes, rxMs)` for every message that arrived on a partner's
 *     `shared/engagements` (anything: forged, replayed, malformed is counted and changes nothing);
 *  2. `setThreats(views)` when the picture changed (optional: without it, only this node's own
 *     tracks are known, `{ node: self, trackId: String(trackId) }`);
 *  3. `observe(inputs, events, nowUs, nowMs)` with the core's previous tick (its inputs and
 *     events: engagement transitions become claims; accepted operator commands answer requests);
 *  4. `tick(nowUs, nowMs, connected)` → publish `messages`, put `holds` (when not null) into the
 *     core's next inputs, record `events`.
 *
 * Deterministic: no clock, no randomness; times come from the caller (host µs and UTC ms).
 * Nothing received ever becomes a command: the only effect on the core is the `partner-holds`
 * input (hold fire), bounded by the node's own must-fire-by instants.
 */
export class CoordinationAgent {
  readonly intake: IntentIntake;
  private readonly book = new ClaimBook();
  private readonly links: PartnerLinks;
  private readonly requests = new PartnerRequests();
  private readonly spool: IntentSpool;
  private readonly self: string;
  private readonly grace: number;
  /** This node's threats and every member each live track's views have held. */
  private readonly threats: ThreatNames;
  private readonly boots = new Map<string, string>();
  private readonly recentEnded: { claim: ClaimIntent; end: EngagementIntent; atMs: number }[] = [];
  private readonly duplicates: DuplicateWatch;
  private readonly kills: KillAssessment;
  private readonly pending: EngagementIntent[] = [];
  private readonly events: CoordinationEvent[] = [];
  private heldUntilMs = new Map<number, number>();
  private heldKey = '';
  private holdsSeq = 0;
  private requestCount = 0;
  private seq = 0;
  private lastSentMs = Number.NEGATIVE_INFINITY;
  private lastSnapshotMs = Number.NEGATIVE_INFINITY;
  private snapshotDue = false;
  private nowMs = Number.NEGATIVE_INFINITY;
  readonly counters: CoordinationCounters = {
    duplicateEngagements: { linked: 0, lost: 0 },
    mustFireFires: 0,
    killHolds: 0,
    claimsSent: 0,
    messagesSent: 0,
    spoolDropped: 0,
  };

  constructor(private readonly options: CoordinationOptions) {
    this.self = options.selfId;
    this.threats = new ThreatNames(options.selfId);
    this.grace = options.claimGraceMs ?? 5000;
    this.intake = new IntentIntake({
      selfId: options.selfId,
      partners: options.partners,
      ...(options.futureToleranceMs === undefined ? {} : { futureToleranceMs: options.futureToleranceMs }),
      ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
      ...(options.gapWaitMs === undefined ? {} : { gapWaitMs: options.gapWaitMs }),
    });
    this.links = new PartnerLinks(
      options.partners.map((p) => p.id),
      options.staleAfterMs ?? 3000,
    );
    this.spool = new IntentSpool(options.maxSpool ?? 256);
    this.duplicates = new DuplicateWatch(this.self, this.links);
    this.kills = new KillAssessment(options.killAssessmentMs ?? 8000);
  }

  /** The topic filters to subscribe to: each partner's `shared/engagements`. */
  get subscriptions(): string[] {
    return this.options.partners.map((p) => engagementsTopic(p.id));
  }

  /** A message from a partner's `shared/engagements`, received at UTC `rxMs`. Never throws. */
  receive(topic: string, bytes: Uint8Array, rxMs: number): IntentVerdict {
    const verdict = this.intake.accept(topic, bytes, rxMs);
    if (!verdict.ok) {
      const { partnerId, reason, detail } = verdict;
      this.events.push({ kind: 'intent-dropped', atMs: rxMs, partnerId, reason, detail });
      return verdict;
    }
    for (const msg of verdict.ready) this.applyPartner(verdict.partnerId, msg, rxMs);
    return verdict;
  }

  /**
   * This node's threats now (replaces the previous set). A track keeps every member its views
   * ever held while it lives: a partner track fused with it stays one of its names when the
   * partner falls silent and the picture drops the partner's tracks, so the partner's committed
   * claims still hold this node's fire on it and a duplicate is still recognised.
   */
  setThreats(views: readonly ThreatView[]): void {
    for (const view of this.threats.set(views)) this.duplicates.learn(view.trackId, view.members);
  }

  /** The core's tick: its inputs (in processing order) and events. */
  observe(inputs: readonly ControlInput[], events: readonly ControlEvent[], nowUs: number, nowMs: number): void {
    const toMs = (hostUs: number): number => Math.round(nowMs + (hostUs - nowUs) / 1000);
    for (const e of events) {
      if (e.kind === 'engagement') this.ownEngagement(e, toMs);
      else if (e.kind === 'operator-command-result' && e.result === 'accepted') {
        const input = inputs.find((i) => i.kind === 'operator-command' && i.requestId === e.requestId);
        if (input === undefined || input.kind !== 'operator-command' || !('trackId' in input.command)) continue;
        for (const r of this.requests.answer(e.verb, input.command.trackId, e.operatorIds, nowMs))
          this.answered(r, nowMs);
      }
    }
  }

  /** Ask `to`'s operators to engage this node's track `trackId` (advisory). Returns the request id. */
  request(to: string, trackId: number, reason: string, nowMs: number): string {
    const requestId = `r${++this.requestCount}-t${trackId}`;
    this.pending.push({
      type: 'request',
      requestId,
      to,
      jointTrackId: trackId,
      members: this.threats.membersOf(trackId),
      reason: reason.slice(0, 200),
      expiresAt: isoOfMs(nowMs + (this.options.requestTtlMs ?? 10_000)),
    });
    return requestId;
  }

  /** See the class comment. `connected`: false while the node's broker link is down (messages wait). */
  tick(nowUs: number, nowMs: number, connected = true): CoordinationTick {
    this.nowMs = nowMs;
    for (const [partnerId, msg] of this.intake.poll(nowMs)) this.applyPartner(partnerId, msg, nowMs);
    for (const change of this.links.poll(nowMs)) this.events.push(change);
    for (const r of this.requests.expire(nowMs)) this.answered(r, nowMs);
    this.book.purge(nowMs);
    this.events.push(...this.duplicates.recheck(nowMs));
    this.counters.duplicateEngagements = { ...this.duplicates.counts };
    if (
      this.snapshotDue ||
      this.spool.lostSinceSnapshot ||
      nowMs - this.lastSnapshotMs >= (this.options.snapshotEveryMs ?? 5000)
    )
      this.queueSnapshot(nowMs);
    for (let i = 0; i < this.pending.length; i += MAX_INTENTS_PER_MESSAGE)
      this.spool.push(this.pending.slice(i, i + MAX_INTENTS_PER_MESSAGE));
    this.pending.length = 0;
    const messages: OutgoingIntents[] = [];
    if (connected) {
      for (const batch of this.spool.drain()) messages.push(this.message(batch, nowMs));
      if (messages.length === 0 && nowMs - this.lastSentMs >= (this.options.heartbeatMs ?? 1000))
        messages.push(this.message([], nowMs));
    }
    this.counters.spoolDropped = this.spool.dropped;
    const holds = this.computeHolds(nowUs, nowMs);
    const events = this.events.splice(0, this.events.length);
    return { messages, holds, events };
  }

  /** Whether this node holds fire on its track `trackId` at `nowMs` (as of the last tick). */
  holdFire(trackId: number, nowMs: number): boolean {
    const until = this.heldUntilMs.get(trackId);
    return until !== undefined && nowMs < until;
  }

  /** Threats and owners from the claims held now (partners whose coordination is lost left out). */
  owners(nowMs: number): Ownership[] {
    return decideOwners(this.liveClaims(nowMs));
  }

  /** `coordinated` (every partner live), `coordination-lost` (any partner lost), `alone` (none heard yet). */
  state(): 'coordinated' | 'coordination-lost' | 'alone' {
    const states = this.links.ids().map((id) => this.links.state(id));
    if (states.length === 0 || states.every((s) => s === 'never-heard')) return 'alone';
    return states.some((s) => s !== 'live') ? 'coordination-lost' : 'coordinated';
  }

  /** Status for `status`/display: per partner link, claims and intake counters; own claims; requests. */
  status(nowMs: number): {
    state: 'coordinated' | 'coordination-lost' | 'alone';
    partners: Record<string, PartnerCoordinationStatus>;
    ownClaims: HeldClaim[];
    holds: { trackId: number; untilMs: number }[];
    requests: HeldRequest[];
    counters: CoordinationCounters;
  } {
    const intake = this.intake.counters();
    const partners: Record<string, PartnerCoordinationStatus> = {};
    for (const id of this.links.ids()) {
      const link = this.links.detail(id)!;
      partners[id] = {
        link: link.state,
        sinceMs: link.sinceMs,
        lastHeardMs: link.lastHeardMs,
        claims: this.book.claimsOf(id).length,
        intake: intake[id]!,
      };
    }
    return {
      state: this.state(),
      partners,
      ownClaims: this.book.claimsOf(this.self).filter((c) => nowMs < c.expiresAtMs),
      holds: [...this.heldUntilMs].map(([trackId, untilMs]) => ({ trackId, untilMs })),
      requests: this.requests.list().map((r) => ({ ...r })),
      counters: structuredClone(this.counters),
    };
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The claims that count now: own ones, every live partner's, and a lost partner's committed
   * ones — its FIRE was sent before the silence and the round flies without the link, so it
   * keeps its threat until it lapses (planned intercept + grace; a result cannot arrive while
   * the link is down). A lost partner's plans count no more: it may never fire.
   */
  private liveClaims(nowMs: number): HeldClaim[] {
    const out: HeldClaim[] = [];
    for (const c of this.book.all(() => true)) {
      if (nowMs >= c.expiresAtMs) continue;
      const state = c.node === this.self ? 'live' : this.links.state(c.node);
      if (state === 'live' || (state === 'lost' && c.committed)) out.push(c);
    }
    return out;
  }

  private ownEngagement(e: EngagementEvent, toMs: (hostUs: number) => number): void {
    const claimId = claimIdOf(e);
    const intents = intentsOfEngagement(e, this.book.get(this.self, claimId), toMs, {
      members: this.threats.membersOf(e.trackId),
      aimToEcef: this.options.aimToEcef,
      killProbability: this.options.killProbability,
      claimGraceMs: this.grace,
    });
    if (intents.some((i) => i.type === 'claim')) this.counters.claimsSent++;
    const atMs = toMs(e.atUs);
    for (const intent of intents) {
      this.pending.push(intent);
      const before = this.book.get(this.self, claimId);
      const change = this.book.apply(this.self, intent);
      if (change?.kind === 'claimed' && change.claim.committed && before?.committed !== true) {
        this.mustFireCheck(change.claim, e.trackId, atMs);
        this.committed(change.claim, atMs);
      }
      if (change?.kind === 'ended' && change.claim.committed) {
        this.ended(change.claim, atMs, change.how);
        this.recentEnded.push({ claim: claimIntentOf(change.claim), end: intent, atMs });
        if (this.recentEnded.length > 32) this.recentEnded.shift();
      }
    }
  }

  /** An own FIRE on a threat a live partner claim would own without it: allowed only past must-fire-by. */
  private mustFireCheck(own: HeldClaim, trackId: number, atMs: number): void {
    const asPlanned = { ...own, committed: false };
    const owner = decideOwners([asPlanned, ...this.liveClaims(atMs).filter((c) => c.node !== this.self)]).find((o) =>
      o.claims.includes(asPlanned),
    )?.owner;
    if (owner === undefined || owner.node === this.self) return;
    this.counters.mustFireFires++;
    this.events.push({
      kind: 'must-fire',
      atMs,
      claimId: own.claimId,
      trackId,
      ownerNode: owner.node,
      ownerClaimId: owner.claimId,
    });
  }

  /** A claim became committed (own FIRE, or a partner's). */
  private committed(c: HeldClaim, atMs: number): void {
    this.events.push(...this.duplicates.committed(c, atMs));
    this.counters.duplicateEngagements = { ...this.duplicates.counts };
  }

  private ended(c: HeldClaim, atMs: number, how: 'kill' | 'miss' | 'aborted' | 'release'): void {
    this.duplicates.ended(c, atMs);
    if (how !== 'kill') return;
    const mark = this.kills.killed(c, atMs);
    if (mark === null) return;
    this.counters.killHolds++;
    this.events.push({ kind: 'threat-killed', atMs, node: c.node, claimId: c.claimId, untilMs: mark.untilMs });
  }

  private applyPartner(partnerId: string, msg: EngagementIntentsPayload, rxMs: number): void {
    const boot = this.boots.get(partnerId);
    if (boot !== msg.bootId) {
      if (boot !== undefined) this.book.forget(partnerId);
      this.boots.set(partnerId, msg.bootId);
      this.snapshotDue = true; // a partner (re)started: tell it everything
    }
    const change = this.links.heard(partnerId, rxMs);
    if (change !== null) {
      this.events.push(change);
      this.snapshotDue = true;
    }
    const firedAt = new Map<string, number>();
    for (const intent of msg.intents)
      if (intent.type === 'commit') firedAt.set(intent.claimId, Date.parse(intent.firedAt));
    for (const intent of msg.intents) {
      if (intent.type === 'request') {
        if (intent.to !== this.self) continue;
        const tracks = intent.members.map((m) => this.threats.trackOf(memberKey(m))).filter((t) => t !== undefined);
        const req = this.requests.take(partnerId, intent, tracks[0] ?? null);
        this.events.push({
          kind: 'request-received',
          atMs: rxMs,
          from: partnerId,
          requestId: req.requestId,
          localTrackId: req.localTrackId,
        });
        continue;
      }
      if (intent.type === 'answer') {
        if (intent.to === this.self)
          this.events.push({
            kind: 'request-answered',
            atMs: rxMs,
            from: partnerId,
            requestId: intent.requestId,
            answer: intent.answer,
            operatorIds: [],
          });
        continue;
      }
      const before =
        intent.type === 'claim' || intent.type === 'commit' ? this.book.get(partnerId, intent.claimId) : undefined;
      const applied = this.book.apply(partnerId, intent);
      if (applied === null) continue;
      if (
        (applied.kind === 'claimed' || applied.kind === 'committed') &&
        applied.claim.committed &&
        before?.committed !== true
      ) {
        const at = firedAt.get(applied.claim.claimId) ?? applied.claim.launchAtMs;
        this.committed(applied.claim, Math.min(at, rxMs));
      }
      if (applied.kind === 'ended' && applied.claim.committed) this.ended(applied.claim, rxMs, applied.how);
      if (applied.kind === 'reconciled' && applied.forgotten > 0)
        this.events.push({ kind: 'claims-reconciled', atMs: rxMs, partnerId, forgotten: applied.forgotten });
    }
  }

  private answered(r: HeldRequest, nowMs: number): void {
    if (r.state === 'pending') return;
    this.pending.push({ type: 'answer', requestId: r.requestId, to: r.from, answer: r.state });
    this.events.push({
      kind: 'request-answered',
      atMs: nowMs,
      from: r.from,
      requestId: r.requestId,
      answer: r.state,
      operatorIds: r.operatorIds,
    });
  }

  private queueSnapshot(nowMs: number): void {
    const live = this.book
      .claimsOf(this.self)
      .filter((c) => nowMs < c.expiresAtMs)
      .slice(-MAX_INTENTS_PER_MESSAGE);
    for (const r of this.recentEnded) if (nowMs - r.atMs <= RECENT_WINDOW_MS) this.pending.push(r.claim, r.end);
    for (const c of live) this.pending.push(claimIntentOf(c));
    this.pending.push({ type: 'snapshot', claimIds: live.map((c) => c.claimId) });
    this.lastSnapshotMs = nowMs;
    this.snapshotDue = false;
    this.spool.lostSinceSnapshot = false;
  }

  private message(intents: EngagementIntent[], nowMs: number): OutgoingIntents {
    this.seq += 1;
    const unsigned: UnsignedEngagementIntents = {
      v: 1,
      kind: ENGAGEMENT_INTENTS_KIND,
      nodeId: this.self,
      bootId: this.options.bootId,
      seq: this.seq,
      sentAt: isoOfMs(nowMs),
      intents,
    };
    const message = this.options.signer.signPayload(unsigned);
    this.lastSentMs = nowMs;
    this.counters.messagesSent++;
    return { topic: engagementsTopic(this.self), payload: new TextEncoder().encode(JSON.stringify(message)), message };
  }

  private computeHolds(nowUs: number, nowMs: number): PartnerHoldsInput | null {
    const sorted = heldTracks(this.self, this.owners(nowMs), this.kills.live(nowMs), this.threats, nowMs);
    const key = JSON.stringify(sorted);
    this.heldUntilMs = new Map(sorted);
    if (key === this.heldKey) return null;
    this.heldKey = key;
    return {
      kind: 'partner-holds',
      receivedAtUs: nowUs,
      sourceId: this.options.holdsSourceId ?? 'coordination',
      seq: ++this.holdsSeq,
      holds: sorted.map(([trackId, untilMs]) => ({ trackId, untilUs: Math.round(nowUs + (untilMs - nowMs) * 1000) })),
    };
  }
}
