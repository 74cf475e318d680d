import { errorEllipse } from '../common/error-ellipse.js';
import type { RunFileContents } from '../record/run-reader.js';
import type { ChartPoint } from './chart-spec.js';
import { formatNumber } from './format-number.js';

/** What the plan view adds for threat evaluation: asset areas, keep-out zones, IPP ellipses. */
export interface ThreatOverlay {
  /** Outlines of the declared defended assets (circles and polygons), separated by gaps. */
  readonly assets: readonly ChartPoint[];
  readonly keepOut: readonly ChartPoint[];
  /** Each threat's 95 % IPP ellipse, from its last recorded prediction. */
  readonly ellipses: readonly ChartPoint[];
  /** The predicted impact points themselves. */
  readonly impactPoints: readonly ChartPoint[];
}

const KM = 1 / 1000;
const GAP: ChartPoint = { x: null, y: null };
const SEGMENTS = 48;
/** Most tracks whose ellipse is drawn (the latest recorded first). */
const MAX_ELLIPSES = 400;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function outline(area: unknown, label: string): ChartPoint[] {
  if (!isObj(area)) return [];
  if (area['kind'] === 'circle') {
    const e = num(area['eastM']);
    const n = num(area['northM']);
    const r = num(area['radiusM']);
    if (e === null || n === null || r === null) return [];
    const out: ChartPoint[] = [];
    for (let i = 0; i <= SEGMENTS; i++) {
      const a = (2 * Math.PI * i) / SEGMENTS;
      out.push({ x: (e + r * Math.cos(a)) * KM, y: (n + r * Math.sin(a)) * KM, n: label });
    }
    return [...out, GAP];
  }
  if (area['kind'] === 'polygon' && Array.isArray(area['vertices'])) {
    const points: ChartPoint[] = [];
    for (const v of area['vertices']) {
      if (!isObj(v)) continue;
      const e = num(v['eastM']);
      const n = num(v['northM']);
      if (e !== null && n !== null) points.push({ x: e * KM, y: n * KM, n: label });
    }
    return points.length >= 3 ? [...points, points[0]!, GAP] : [];
  }
  return [];
}

/**
 * The plan view's threat overlay from the run file alone: the core config's `defendedAssets`
 * (areas and keep-out zones, as the manifest holds them) and, per track, the 95 % ellipse of its
 * last recorded predicted impact point (`threats` lines; none in runs written before them).
 * Malformed entries are skipped. Pure.
 */
export function threatOverlay(run: RunFileContents): ThreatOverlay {
  const config = isObj(run.manifest.coreConfig) ? run.manifest.coreConfig : {};
  const assets: ChartPoint[] = [];
  const keepOut: ChartPoint[] = [];
  for (const a of Array.isArray(config['defendedAssets']) ? config['defendedAssets'] : []) {
    if (!isObj(a)) continue;
    const id = typeof a['id'] === 'string' ? a['id'] : 'asset';
    assets.push(...outline(a['area'], `${id} · value ${formatNumber(num(a['value']) ?? 0)}`));
    for (const k of Array.isArray(a['keepOut']) ? a['keepOut'] : []) keepOut.push(...outline(k, `keep-out of ${id}`));
  }
  const last = new Map<number, { atUs: number; entry: Json }>();
  for (const record of run.records) {
    if (record.kind !== 'threats') continue;
    for (const entry of record.threats) {
      if (!isObj(entry)) continue;
      const trackId = num(entry['trackId']);
      if (trackId === null) continue;
      last.delete(trackId);
      last.set(trackId, { atUs: record.nowUs, entry });
    }
  }
  const ellipses: ChartPoint[] = [];
  const impactPoints: ChartPoint[] = [];
  for (const [trackId, { atUs, entry }] of [...last].slice(-MAX_ELLIPSES)) {
    const ipp = Array.isArray(entry['ipp']) ? entry['ipp'] : [];
    const cov = Array.isArray(entry['cov']) ? entry['cov'] : [];
    const e = num(ipp[0]);
    const n = num(ipp[1]);
    const see = num(cov[0]);
    const sen = num(cov[1]);
    const snn = num(cov[2]);
    if (e === null || n === null || see === null || sen === null || snn === null) continue;
    const el = errorEllipse(see, sen, snn);
    const impactUs = num(entry['impactAtHostUs']);
    const assetsHit = Array.isArray(entry['assets']) ? entry['assets'] : [];
    const top = Array.isArray(assetsHit[0]) ? assetsHit[0] : null;
    const label =
      `track ${trackId} ${entry['kind'] === 'approach' ? 'closest approach' : 'predicted impact'} at t=${formatNumber(atUs / 1e6, 4)} s` +
      (impactUs !== null && impactUs >= 0 ? `, ${formatNumber((impactUs - atUs) / 1e6, 3)} s ahead` : '') +
      ` · 95 % ellipse ${formatNumber(el.semiMajorM)} × ${formatNumber(el.semiMinorM)} m` +
      (top !== null ? ` · ${String(top[0])} p=${formatNumber(num(top[1]) ?? 0, 3)}` : ' · no asset');
    // Axis directions in ENU: major along bearing β (clockwise from north).
    const b = (el.majorAxisBearingDeg * Math.PI) / 180;
    const majE = Math.sin(b);
    const majN = Math.cos(b);
    for (let i = 0; i <= SEGMENTS; i++) {
      const a = (2 * Math.PI * i) / SEGMENTS;
      const u = el.semiMajorM * Math.cos(a);
      const v = el.semiMinorM * Math.sin(a);
      ellipses.push({ x: (e + u * majE + v * majN) * KM, y: (n + u * majN - v * majE) * KM, n: label });
    }
    ellipses.push(GAP);
    impactPoints.push({ x: e * KM, y: n * KM, n: label });
  }
  return { assets, keepOut, ellipses, impactPoints };
}
