import type { CoordinationStatusPayload } from '../bridge/schemas/status-payload.js';
import type { CoordinationAgent, CoordinationLinkState } from '../coordination/index.js';

const STATE_WORDS: Record<CoordinationLinkState, CoordinationStatusPayload['partners'][string]['state']> = {
  'never-heard': 'never-heard',
  live: 'coordinated',
  lost: 'coordination-lost',
};

const isoOf = (ms: number): string => new Date(ms).toISOString();

/**
 * `status.coordination` of a node from its agent at UTC `nowMs`: the overall state, per partner
 * `coordinated` / `coordination-lost` / `never-heard` and since when, the partner's claims held,
 * the node's holds and its duplicate-engagement counts (docs/mqtt.md §Engagement intents).
 */
export function coordinationStatusOf(agent: CoordinationAgent, nowMs: number): CoordinationStatusPayload {
  const s = agent.status(nowMs);
  const partners: CoordinationStatusPayload['partners'] = {};
  for (const [id, p] of Object.entries(s.partners))
    partners[id] = {
      state: STATE_WORDS[p.link],
      since: p.sinceMs === null ? null : isoOf(p.sinceMs),
      claims: p.claims,
    };
  return {
    state: s.state,
    partners,
    holds: s.holds.filter((h) => nowMs < h.untilMs).length,
    duplicateEngagements: { ...s.counters.duplicateEngagements },
  };
}
