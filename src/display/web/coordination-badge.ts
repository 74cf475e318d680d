import { el } from './element.js';

/** One partner's engagement coordination as the display shows it. */
export interface CoordinationPartnerView {
  readonly partnerId: string;
  /** `coordinated`, `coordination-lost`, `never-heard` (or `?` for a value the page does not know). */
  readonly state: string;
  /** ISO time the partner entered that state (null: never heard). */
  readonly since: string | null;
}

/** The node's engagement coordination (status `coordination`). */
export interface CoordinationView {
  readonly state: string;
  readonly partners: readonly CoordinationPartnerView[];
  readonly holds: number;
  readonly duplicates: number;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** `status.coordination` as the page keeps it; null when the node does not coordinate (no member). */
export function coordinationViewOf(value: unknown): CoordinationView | null {
  if (typeof value !== 'object' || value === null) return null;
  const c = obj(value);
  const dup = obj(c['duplicateEngagements']);
  return {
    state: str(c['state']) ?? '?',
    partners: Object.entries(obj(c['partners'])).map(([partnerId, v]) => ({
      partnerId,
      state: str(obj(v)['state']) ?? '?',
      since: str(obj(v)['since']),
    })),
    holds: count(c['holds']),
    duplicates: count(dup['linked']) + count(dup['lost']),
  };
}

const clock = (iso: string | null): string => (iso === null ? '' : ` since ${iso.slice(11, 19)}Z`);

/**
 * The coordination badge in the header: `COORDINATION LOST` (red) when any partner heard before is
 * silent — the node defends its own assets alone — else `coordinated` (green) or `not coordinated
 * yet`; per partner its state and since when, holds and duplicate engagements.
 */
export function coordinationBadge(c: CoordinationView): HTMLElement {
  const lost = c.state === 'coordination-lost';
  const head = lost ? 'COORDINATION LOST' : c.state === 'coordinated' ? 'coordinated' : 'not coordinated yet';
  const parts = c.partners.map(
    (p) => `${p.partnerId} ${p.state === 'coordination-lost' ? 'LOST' : p.state}${clock(p.since)}`,
  );
  if (c.holds > 0) parts.push(`holding ${c.holds}`);
  if (c.duplicates > 0) parts.push(`${c.duplicates} duplicate engagement${c.duplicates === 1 ? '' : 's'}`);
  const badge = el('span', `pill ${c.state === 'coordinated' ? 'ok' : 'bad'}`, [head, ...parts].join(' · '));
  badge.id = 'coordination';
  badge.dataset['state'] = c.state;
  badge.title = 'Engagement coordination with the partners (status.coordination)';
  return badge;
}
