import { NodeKey } from '../../src/bridge/node-key.js';
import type { EngagementEvent, EngagementTransition, EngagementState } from '../../src/control/index.js';
import { CoordinationAgent, type CoordinationOptions, type OutgoingIntents } from '../../src/coordination/index.js';

const keyCache = new Map<string, NodeKey>();

/** One key pair per node id for the whole test file (key generation is the slow part). */
export function keyOf(nodeId: string): NodeKey {
  let k = keyCache.get(nodeId);
  if (k === undefined) {
    k = NodeKey.generate(nodeId);
    keyCache.set(nodeId, k);
  }
  return k;
}

/** An agent for `self` whose partners are `partners`, keys from {@link keyOf}. */
export function makeAgent(
  self: string,
  partners: readonly string[],
  options: Partial<CoordinationOptions> = {},
): CoordinationAgent {
  return new CoordinationAgent({
    selfId: self,
    bootId: `${self}-boot1`,
    signer: keyOf(self),
    partners: partners.map((id) => ({ id, verify: (p: unknown) => keyOf(id).public.verifyPayload(p) })),
    aimToEcef: (e, n, u) => [4_000_000 + e, 1_000_000 + n, 4_800_000 + u],
    killProbability: 0.8,
    ...options,
  });
}

let seq = 0;

/** A core engagement event (only the fields coordination reads need to be right). */
export function engagement(
  transition: EngagementTransition,
  fields: {
    engagementId: number;
    trackId: number;
    atUs: number;
    launchAtHostUs: number;
    interceptAtHostUs: number;
    launcherId?: string;
    fired?: boolean;
    result?: 'kill' | 'miss' | 'lost' | null;
  },
): EngagementEvent {
  const state: EngagementState =
    transition === 'planned' || transition === 'replanned'
      ? 'planned'
      : transition === 'fire-sent'
        ? 'fire-sent'
        : transition === 'intercept-assessed'
          ? 'assessed'
          : transition === 'aborted'
            ? 'aborted'
            : 'launched';
  return {
    kind: 'engagement',
    seq: ++seq,
    atUs: fields.atUs,
    transition,
    engagementId: fields.engagementId,
    trackId: fields.trackId,
    launcherId: fields.launcherId ?? 'L1',
    state,
    fireCommandId: fields.fired === true || transition === 'fire-sent' ? 1000 + fields.engagementId : null,
    launchAtHostUs: fields.launchAtHostUs,
    interceptAtHostUs: fields.interceptAtHostUs,
    aimEastM: 100,
    aimNorthM: 200,
    aimUpM: 3000,
    actualLaunchHostUs: null,
    result: fields.result ?? null,
    reason: null,
    nakReason: null,
    commandId: null,
  };
}

interface InFlight {
  readonly to: string;
  readonly atMs: number;
  readonly order: number;
  readonly msg: OutgoingIntents;
}

/**
 * A simulated inter-node link: every message goes to every other node after `delayMs(from, to,
 * n)` (which may reorder), and is lost while a partition window covers its send time.
 */
export class SimLink {
  private inFlight: InFlight[] = [];
  private order = 0;
  delivered = 0;
  lost = 0;

  constructor(
    private readonly nodes: readonly string[],
    private readonly delayMs: (from: string, to: string, n: number) => number,
    private readonly partitions: readonly { fromMs: number; toMs: number }[] = [],
  ) {}

  send(from: string, nowMs: number, messages: readonly OutgoingIntents[]): void {
    for (const msg of messages) {
      const cut = this.partitions.some((p) => nowMs >= p.fromMs && nowMs < p.toMs);
      for (const to of this.nodes) {
        if (to === from) continue;
        if (cut) {
          this.lost++;
          continue;
        }
        const n = this.order++;
        this.inFlight.push({ to, atMs: nowMs + this.delayMs(from, to, n), order: n, msg });
      }
    }
  }

  /** Messages due at `nowMs` for `to`, in arrival order. */
  due(to: string, nowMs: number): OutgoingIntents[] {
    const ready = this.inFlight
      .filter((m) => m.to === to && m.atMs <= nowMs)
      .sort((a, b) => a.atMs - b.atMs || a.order - b.order);
    this.inFlight = this.inFlight.filter((m) => !(m.to === to && m.atMs <= nowMs));
    this.delivered += ready.length;
    return ready.map((m) => m.msg);
  }

  get pending(): number {
    return this.inFlight.length;
  }
}
