import type { ChartDataset } from 'chart.js';
import { linearAxis, scatterOptions } from './chart-axes.js';
import type { ChartPoint, ChartSpec } from './chart-spec.js';
import { formatNumber } from './format-number.js';
import { circle } from './plan-view-chart.js';
import { REPORT_PALETTE } from './report-palette.js';

/** A joint track's source: own radars only, a partner's data only, or both fused. */
export type JointTrackSource = 'local' | 'partner' | 'fused';

/** One node of a joint run as its plan view draws it; every position in the node's own ENU, metres. */
export interface JointPlanNode {
  readonly nodeId: string;
  /** Radars with their coverage radius (the node's coverage). */
  readonly radars: readonly {
    readonly id: string;
    readonly eastM: number;
    readonly northM: number;
    readonly maxRangeM: number;
  }[];
  readonly launchers: readonly {
    readonly id: string;
    readonly eastM: number;
    readonly northM: number;
    readonly maxRangeM: number;
  }[];
  /** Circular defended assets (polygons are drawn by their vertices' centre and extent). */
  readonly assets: readonly {
    readonly id: string;
    readonly eastM: number;
    readonly northM: number;
    readonly radiusM: number;
  }[];
  /** The partners' radars in this node's frame, with their coverage (where the coverages overlap). */
  readonly partnerRadars?: readonly {
    readonly nodeId: string;
    readonly id: string;
    readonly eastM: number;
    readonly northM: number;
    readonly maxRangeM: number;
  }[];
  /** The joint picture over the run, sample by sample (host µs, time order). */
  readonly plan: readonly {
    readonly atUs: number;
    readonly tracks: readonly {
      readonly jointId: number;
      readonly source: JointTrackSource;
      readonly eastM: number;
      readonly northM: number;
      readonly partners: readonly string[];
      /** A fused track's members (own and partner tracks) where each stood: its association lines. */
      readonly members?: readonly {
        readonly kind: 'local' | 'partner';
        readonly nodeId: string;
        readonly trackId: string;
        readonly eastM: number;
        readonly northM: number;
      }[];
    }[];
  }[];
}

/** Colours of the three sources, the same in the report and the live display. */
export const JOINT_SOURCE_COLOURS: Readonly<Record<JointTrackSource, string>> = {
  local: '#1f6fd1',
  partner: '#e8590c',
  fused: '#2b8a3e',
};

const SOURCE_LABEL: Readonly<Record<JointTrackSource, string>> = {
  local: 'Own track',
  partner: 'Partner track',
  fused: 'Fused track',
};
const KM = 1 / 1000;
const GAP: ChartPoint = { x: null, y: null };
const CIRCLE_SEGMENTS = 72;
/** Most association lines one plan view draws (samples are thinned evenly beyond). */
const MAX_ASSOCIATION_LINES = 1500;

/**
 * One node's plan view of a joint run (its own ENU, km, north up, equal scale): its radars with
 * their coverage circles, launchers with their envelope, defended assets, and its joint tracks
 * coloured by source — own (blue), partner only (orange, dashed), fused (green, thick). A track
 * that changes source (a partner track later seen by the own radar and fused) changes colour at
 * that point. At most `maxPoints` track points in all (default 3000): samples are thinned evenly.
 */
export function jointPlanViewChart(node: JointPlanNode, maxPoints = 3000): ChartSpec {
  const datasets: ChartDataset<'scatter', ChartPoint[]>[] = [];
  const push = (label: string, data: ChartPoint[], style: Partial<ChartDataset<'scatter', ChartPoint[]>>): void => {
    if (data.length > 0) datasets.push({ label, data, ...style });
  };
  push(
    'Radar',
    node.radars.map((r) => ({
      x: r.eastM * KM,
      y: r.northM * KM,
      n: `${r.id} · coverage ${formatNumber(r.maxRangeM * KM)} km`,
    })),
    {
      showLine: false,
      pointStyle: 'rectRot',
      pointRadius: 8,
      backgroundColor: REPORT_PALETTE.radar,
      borderColor: '#ffffff',
    },
  );
  push(
    'Launcher',
    node.launchers.map((l) => ({ x: l.eastM * KM, y: l.northM * KM, n: l.id })),
    {
      showLine: false,
      pointStyle: 'rect',
      pointRadius: 7,
      backgroundColor: REPORT_PALETTE.launcher,
      borderColor: '#ffffff',
    },
  );

  const partnerRadars = node.partnerRadars ?? [];
  push(
    'Partner radar',
    partnerRadars.map((r) => ({
      x: r.eastM * KM,
      y: r.northM * KM,
      n: `${r.nodeId} ${r.id} · coverage ${formatNumber(r.maxRangeM * KM)} km`,
    })),
    {
      showLine: false,
      pointStyle: 'rectRot',
      pointRadius: 7,
      backgroundColor: JOINT_SOURCE_COLOURS.partner,
      borderColor: '#ffffff',
    },
  );
  const totalPoints = node.plan.reduce((a, s) => a + s.tracks.length, 0);
  const step = Math.max(1, Math.ceil(totalPoints / maxPoints));
  const bySource: Record<JointTrackSource, ChartPoint[]> = { local: [], partner: [], fused: [] };
  // Each joint track's points in time order, split into runs of one source.
  const runs = new Map<number, { source: JointTrackSource; points: ChartPoint[] }>();
  const flush = (jointId: number): void => {
    const run = runs.get(jointId);
    if (run !== undefined && run.points.length > 0) bySource[run.source].push(...run.points, GAP);
    runs.delete(jointId);
  };
  node.plan.forEach((sample, i) => {
    if (i % step !== 0 && i !== node.plan.length - 1) return;
    const seen = new Set<number>();
    for (const t of sample.tracks) {
      seen.add(t.jointId);
      const point: ChartPoint = {
        x: t.eastM * KM,
        y: t.northM * KM,
        n: `joint ${t.jointId} (${t.source}${t.partners.length > 0 ? ` · ${t.partners.join(', ')}` : ''})${membersText(t.members)} t=${formatNumber(sample.atUs / 1e6, 4)} s`,
      };
      const run = runs.get(t.jointId);
      if (run !== undefined && run.source !== t.source) {
        run.points.push(point); // join the two runs where the source changed
        flush(t.jointId);
      }
      const current = runs.get(t.jointId) ?? { source: t.source, points: [] };
      current.points.push(point);
      runs.set(t.jointId, current);
    }
    for (const id of [...runs.keys()]) if (!seen.has(id)) flush(id);
  });
  for (const id of [...runs.keys()]) flush(id);
  const associations = associationLines(node.plan, step);
  const trackLine = (source: JointTrackSource, extra: Partial<ChartDataset<'scatter', ChartPoint[]>>): void =>
    push(SOURCE_LABEL[source], bySource[source], {
      showLine: true,
      pointStyle: 'line',
      pointRadius: 0,
      pointHitRadius: 4,
      borderColor: JOINT_SOURCE_COLOURS[source],
      borderWidth: 1.6,
      ...extra,
    });
  push('Association', associations, {
    showLine: true,
    pointStyle: 'line',
    pointRadius: 0,
    pointHitRadius: 3,
    borderColor: ASSOCIATION_COLOUR,
    borderWidth: 1,
  });
  trackLine('fused', { borderWidth: 3 });
  trackLine('local', {});
  trackLine('partner', { borderDash: [5, 3] });

  const circles = (items: readonly { id: string; eastM: number; northM: number }[], radius: (i: number) => number) =>
    items.flatMap((c, i) => [...circle(c.eastM, c.northM, radius(i), c.id, CIRCLE_SEGMENTS), GAP]);
  const outline = (label: string, data: ChartPoint[], style: Partial<ChartDataset<'scatter', ChartPoint[]>>): void =>
    push(label, data, {
      showLine: true,
      pointStyle: 'line',
      pointRadius: 0,
      pointHitRadius: 2,
      borderWidth: 1.2,
      ...style,
    });
  outline(
    'Radar coverage',
    circles(node.radars, (i) => node.radars[i]!.maxRangeM),
    { borderColor: 'rgba(111, 66, 193, 0.55)' },
  );
  outline(
    'Partner radar coverage',
    partnerRadars.flatMap((r) => [
      ...circle(r.eastM, r.northM, r.maxRangeM, `${r.nodeId} ${r.id}`, CIRCLE_SEGMENTS),
      GAP,
    ]),
    { borderColor: 'rgba(232, 89, 12, 0.55)', borderDash: [2, 3] },
  );
  outline(
    'Envelope max range',
    circles(node.launchers, (i) => node.launchers[i]!.maxRangeM),
    { borderColor: REPORT_PALETTE.envelopeMax, borderDash: [6, 4] },
  );
  outline(
    'Defended asset',
    circles(node.assets, (i) => Math.max(node.assets[i]!.radiusM, 100)),
    { borderColor: '#2ca02c', borderWidth: 2 },
  );

  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const d of datasets)
    for (const p of d.data) {
      if (p.x === null || p.y === null) continue;
      xMin = Math.min(xMin, p.x);
      xMax = Math.max(xMax, p.x);
      yMin = Math.min(yMin, p.y);
      yMax = Math.max(yMax, p.y);
    }
  const pad = Number.isFinite(xMin) ? 0.04 * Math.max(xMax - xMin, yMax - yMin, 1) : 0;
  const range = Number.isFinite(xMin)
    ? { x: { min: xMin - pad, max: xMax + pad }, y: { min: yMin - pad, max: yMax + pad } }
    : { x: {}, y: {} };
  const counts = { local: 0, partner: 0, fused: 0 };
  const last = new Map<number, JointTrackSource>();
  for (const s of node.plan) for (const t of s.tracks) last.set(t.jointId, t.source);
  for (const source of last.values()) counts[source] += 1;
  return {
    id: `joint-plan-${node.nodeId.replace(/[^A-Za-z0-9_-]/g, '_')}`,
    title: `${node.nodeId}: plan view`,
    caption:
      `${node.nodeId}'s joint picture in its own ENU frame (km, north up, same scale on both axes): own tracks blue, ` +
      `partner-only tracks orange dashed, fused tracks green, thin dark lines from a fused track to the own and partner tracks it was made of (its association, at sampled instants); purple circles: its radars' coverage (orange dotted: its partners' radars, mapped into its frame); dashed: launcher ` +
      `envelopes; green circles: its defended assets. ${last.size} joint tracks (by their last source: ` +
      `${counts.local} own, ${counts.partner} partner only, ${counts.fused} fused).`,
    heightPx: 560,
    config: {
      type: 'scatter',
      data: { datasets: datasets as ChartDataset<'scatter', unknown[]>[] },
      options: scatterOptions(
        {
          x: { ...linearAxis('east (km)', range.x), ticks: { includeBounds: false } },
          y: { ...linearAxis('north (km)', range.y), ticks: { includeBounds: false } },
        },
        {
          equalAspect: { enabled: true },
          legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 10 } },
        },
      ),
    },
  };
}

/** ` = own track 3 + node-b track 9`: what a fused track was made of (empty without members). */
function membersText(members: JointPlanNode['plan'][number]['tracks'][number]['members']): string {
  if (members === undefined || members.length === 0) return '';
  return ` = ${members.map((m) => (m.kind === 'local' ? `own track ${m.trackId}` : `${m.nodeId} track ${m.trackId}`)).join(' + ')}`;
}

/** Colour of the association lines (fused track → each member). */
export const ASSOCIATION_COLOUR = 'rgba(33, 37, 41, 0.75)';

/**
 * The association lines of a plan: at the samples kept for the tracks (every `step`-th and the
 * last), one segment from each fused track to each of its members (own and partner tracks),
 * segments separated by gaps; at most {@link MAX_ASSOCIATION_LINES}, thinned evenly by sample.
 */
function associationLines(plan: JointPlanNode['plan'], step: number): ChartPoint[] {
  const kept = plan.filter((_, i) => i % step === 0 || i === plan.length - 1);
  const total = kept.reduce((a, s) => a + s.tracks.reduce((b, t) => b + (t.members?.length ?? 0), 0), 0);
  const every = Math.max(1, Math.ceil(total / MAX_ASSOCIATION_LINES));
  const out: ChartPoint[] = [];
  kept.forEach((sample, i) => {
    if (i % every !== 0 && i !== kept.length - 1) return;
    for (const t of sample.tracks)
      for (const m of t.members ?? []) {
        const who = m.kind === 'local' ? `own track ${m.trackId}` : `${m.nodeId} track ${m.trackId}`;
        const n = `joint ${t.jointId} ↔ ${who} t=${formatNumber(sample.atUs / 1e6, 4)} s`;
        out.push({ x: t.eastM * KM, y: t.northM * KM, n }, { x: m.eastM * KM, y: m.northM * KM, n }, GAP);
      }
  });
  return out;
}
