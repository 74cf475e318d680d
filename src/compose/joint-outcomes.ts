import type { RunSummary } from '../session/run-summary.js';

/** What one node of a joint run brings to the joint outcome. */
export interface JointOutcomeInput {
  readonly nodeId: string;
  readonly summary: RunSummary;
  /** The node's truth log (all records; scenario µs). */
  readonly truth: readonly ({ kind: string; tUs: number } & Record<string, unknown>)[];
  /** When each target was first in the node's own picture (scenario s; null: never). */
  readonly firstHeldS: ReadonlyMap<string, number | null>;
  /** The node's coordination duplicate counters (null when it did not coordinate). */
  readonly duplicates: { readonly linked: number; readonly lost: number } | null;
}

/** The joint shield's outcome over all its nodes (one sky): the side-by-side table's row. */
export interface JointOutcome {
  readonly hostiles: number;
  /** Hostiles some node's interceptor destroyed. */
  readonly intercepted: number;
  /** intercepted / hostiles (null without hostiles). */
  readonly interceptRatio: number | null;
  /** Hostile impacts inside some node's defended asset. */
  readonly assetLeakers: number;
  /** Launches of every node. */
  readonly launches: number;
  /** launches / intercepted (null when nothing was intercepted). */
  readonly roundsPerKill: number | null;
  /**
   * Duplicate engagements from truth: pairs of interceptors of different nodes whose closest
   * approach was to the same target, each launched before the other's closest approach (both
   * engaging it at once; counted in every mode). An interceptor that missed flies on to its
   * flight-time limit, but after its closest approach it engages nothing: a partner's round
   * fired after it is a second look, not a duplicate.
   */
  readonly duplicateEngagements: number;
  /** Duplicates as coordination counted them (the most any node counted), by link state; null unless coordinated. */
  readonly coordinationDuplicates: { readonly linked: number; readonly lost: number } | null;
  /** Median over engaged hostiles of (first launch at it by any node − first held by any node), s. */
  readonly detectionToLaunchMedianS: number | null;
}

interface Flight {
  readonly nodeId: string;
  readonly targetId: string;
  readonly launchUs: number;
  readonly endUs: number;
}

/** The joint outcome of a joint run from each node's summary, truth and pictures. */
export function jointOutcome(nodes: readonly JointOutcomeInput[]): JointOutcome {
  const hostiles = new Set<string>();
  const killed = new Set<string>();
  const flights: Flight[] = [];
  let launches = 0;
  let assetLeakers = 0;
  for (const n of nodes) {
    launches += n.summary.launches;
    assetLeakers += n.summary.assets?.leakers ?? 0;
    const launchUs = new Map<string, number>();
    for (const r of n.truth) {
      if (r.kind === 'run-start')
        for (const t of (r.targets as { targetId: string; iff: string }[] | undefined) ?? [])
          if (t.iff === 'hostile') hostiles.add(t.targetId);
      if (r.kind === 'launch' && typeof r.interceptorId === 'string') launchUs.set(r.interceptorId, r.tUs);
      if (r.kind === 'kill' && r.iff === 'hostile' && typeof r.targetId === 'string') killed.add(r.targetId);
      if (r.kind === 'closest-approach' && typeof r.targetId === 'string' && typeof r.interceptorId === 'string') {
        const from = launchUs.get(r.interceptorId);
        // `atUs`: the closest approach itself; `tUs` is the interceptor's end (detonation or flight-time limit).
        const endUs = typeof r.atUs === 'number' ? r.atUs : r.tUs;
        if (from !== undefined) flights.push({ nodeId: n.nodeId, targetId: r.targetId, launchUs: from, endUs });
      }
    }
  }
  let duplicateEngagements = 0;
  for (let i = 0; i < flights.length; i++)
    for (let j = i + 1; j < flights.length; j++) {
      const a = flights[i]!;
      const b = flights[j]!;
      if (a.nodeId !== b.nodeId && a.targetId === b.targetId && a.launchUs < b.endUs && b.launchUs < a.endUs)
        duplicateEngagements++;
    }
  const delays: number[] = [];
  for (const targetId of [...hostiles].sort()) {
    const held = nodes.map((n) => n.firstHeldS.get(targetId)).filter((s): s is number => typeof s === 'number');
    const launched = flights.filter((f) => f.targetId === targetId).map((f) => f.launchUs / 1e6);
    if (held.length === 0 || launched.length === 0) continue;
    delays.push(Math.min(...launched) - Math.min(...held));
  }
  delays.sort((a, b) => a - b);
  const coordinated = nodes.filter((n) => n.duplicates !== null);
  return {
    hostiles: hostiles.size,
    intercepted: killed.size,
    interceptRatio: hostiles.size === 0 ? null : killed.size / hostiles.size,
    assetLeakers,
    launches,
    roundsPerKill: killed.size === 0 ? null : launches / killed.size,
    duplicateEngagements,
    coordinationDuplicates:
      coordinated.length === 0
        ? null
        : {
            linked: Math.max(...coordinated.map((n) => n.duplicates!.linked)),
            lost: Math.max(...coordinated.map((n) => n.duplicates!.lost)),
          },
    detectionToLaunchMedianS:
      delays.length === 0
        ? null
        : delays.length % 2 === 1
          ? delays[(delays.length - 1) / 2]!
          : (delays[delays.length / 2 - 1]! + delays[delays.length / 2]!) / 2,
  };
}
