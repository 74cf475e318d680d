import { IFF_COLOURS } from './plan-view.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A ground area as drawn (local ENU metres). */
export type AreaView =
  | { readonly kind: 'circle'; readonly eastM: number; readonly northM: number; readonly radiusM: number }
  | { readonly kind: 'polygon'; readonly vertices: readonly (readonly [number, number])[] };

/** A defended asset as drawn. */
export interface AssetDrawn {
  readonly assetId: string;
  readonly value: number;
  readonly area: AreaView;
  readonly keepOut: readonly AreaView[];
}

/** One threat's predicted impact point and 95 % ellipse as drawn. */
export interface ThreatDrawn {
  readonly trackId: string;
  readonly iff: string;
  readonly kind: string;
  readonly eastM: number;
  readonly northM: number;
  readonly semiMajorM: number;
  readonly semiMinorM: number;
  readonly majorAxisBearingDeg: number;
  readonly timeToImpactS: number | null;
  readonly threatValue: number;
  /** Asset with the largest value × probability, or null. */
  readonly topAssetId: string | null;
  readonly topProbability: number;
  readonly launcherId: string | null;
}

/** Smallest drawn semi-axis, pixels (a sharp prediction stays visible). */
const MIN_AXIS_PX = 3;
/** Most threats drawn (the payload is most valuable first). */
const MAX_DRAWN = 300;

function areaOf(v: unknown): AreaView | null {
  const a = obj(v);
  if (a['kind'] === 'circle') {
    const eastM = num(a['eastM']);
    const northM = num(a['northM']);
    const radiusM = num(a['radiusM']);
    return eastM === null || northM === null || radiusM === null ? null : { kind: 'circle', eastM, northM, radiusM };
  }
  if (a['kind'] === 'polygon') {
    const vertices: [number, number][] = [];
    for (const p of arr(a['vertices'])) {
      const e = num(obj(p)['eastM']);
      const n = num(obj(p)['northM']);
      if (e !== null && n !== null) vertices.push([e, n]);
    }
    return vertices.length >= 3 ? { kind: 'polygon', vertices } : null;
  }
  return null;
}

/**
 * The plan view's threat layer: the defended assets (areas, keep-out zones) and each threat's
 * predicted impact point with its 95 % ellipse, from the latest `threats` message. Payloads are
 * read defensively (anything malformed is skipped, never thrown). Ellipses are drawn in the
 * threat's IFF colour, solid when a launcher is assigned, dashed when not, with the time to impact.
 */
export class ThreatLayer {
  assets: AssetDrawn[] = [];
  threats: ThreatDrawn[] = [];
  /** Host time of the latest picture (µs), or null. */
  hostTimeUs: number | null = null;

  /** Take one `threats` payload (the latest wins). */
  accept(payload: unknown): void {
    const p = obj(payload);
    const hostTimeUs = num(p['hostTimeUs']);
    if (hostTimeUs !== null && this.hostTimeUs !== null && hostTimeUs < this.hostTimeUs) return;
    this.hostTimeUs = hostTimeUs;
    const assets: AssetDrawn[] = [];
    for (const raw of arr(p['assets'])) {
      const a = obj(raw);
      const area = areaOf(a['area']);
      const assetId = str(a['assetId']);
      if (area === null || assetId === null) continue;
      const keepOut = arr(a['keepOut'])
        .map(areaOf)
        .filter((k): k is AreaView => k !== null);
      assets.push({ assetId, value: num(a['value']) ?? 0, area, keepOut });
    }
    const threats: ThreatDrawn[] = [];
    for (const raw of arr(p['threats']).slice(0, MAX_DRAWN)) {
      const t = obj(raw);
      const ipp = obj(t['ipp']);
      const ellipse = obj(ipp['ellipse95']);
      const trackId = str(t['trackId']);
      const eastM = num(ipp['eastM']);
      const northM = num(ipp['northM']);
      if (trackId === null || eastM === null || northM === null) continue;
      const top = obj(arr(t['assets'])[0]);
      threats.push({
        trackId,
        iff: str(t['iff']) ?? 'unknown',
        kind: str(t['kind']) ?? 'impact',
        eastM,
        northM,
        semiMajorM: num(ellipse['semiMajorM']) ?? 0,
        semiMinorM: num(ellipse['semiMinorM']) ?? 0,
        majorAxisBearingDeg: num(ellipse['majorAxisBearingDeg']) ?? 0,
        timeToImpactS: num(t['timeToImpactS']),
        threatValue: num(t['threatValue']) ?? 0,
        topAssetId: str(top['assetId']),
        topProbability: num(top['probability']) ?? 0,
        launcherId: str(obj(t['assignment'])['launcherId']),
      });
    }
    this.assets = assets;
    this.threats = threats;
  }

  /** Draw under the tracks; `toScreen` maps ENU metres to CSS pixels, `scale` is pixels per metre. */
  draw(
    ctx: CanvasRenderingContext2D,
    toScreen: (eastM: number, northM: number) => [number, number],
    scale: number,
  ): void {
    for (const a of this.assets) {
      for (const k of a.keepOut) {
        this.path(ctx, k, toScreen, scale);
        ctx.fillStyle = 'rgba(255,90,95,0.10)';
        ctx.fill();
        ctx.setLineDash([3, 3]);
        ctx.strokeStyle = 'rgba(255,90,95,0.6)';
        ctx.lineWidth = 1;
        ctx.stroke();
        ctx.setLineDash([]);
      }
      this.path(ctx, a.area, toScreen, scale);
      ctx.fillStyle = 'rgba(92,224,138,0.14)';
      ctx.fill();
      ctx.strokeStyle = 'rgba(92,224,138,0.85)';
      ctx.lineWidth = 1.5;
      ctx.stroke();
      const [cx, cy] = toScreen(...centreOf(a.area));
      text(ctx, `${a.assetId} ·${a.value}`, cx, cy, 'rgba(150,240,180,0.95)', 'center');
    }
    for (const t of this.threats) {
      const [x, y] = toScreen(t.eastM, t.northM);
      const colour = IFF_COLOURS[t.iff] ?? '#c0c8d4';
      const a = Math.max(MIN_AXIS_PX, t.semiMajorM * scale);
      const b = Math.max(MIN_AXIS_PX, t.semiMinorM * scale);
      ctx.beginPath();
      ctx.ellipse(x, y, a, b, ((t.majorAxisBearingDeg - 90) * Math.PI) / 180, 0, 2 * Math.PI);
      ctx.globalAlpha = 0.22 + Math.min(0.4, t.threatValue * 0.1);
      ctx.fillStyle = colour;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.setLineDash(t.launcherId === null ? [4, 3] : []);
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.stroke();
      ctx.setLineDash([]);
      const tti = t.timeToImpactS === null ? '' : ` ${Math.max(0, t.timeToImpactS).toFixed(0)} s`;
      const target = t.topAssetId === null ? '' : ` → ${t.topAssetId} ${(100 * t.topProbability).toFixed(0)}%`;
      text(ctx, `${t.trackId}${tti}${target}`, x + a * 0.7 + 4, y + 12, colour, 'left');
    }
  }

  private path(
    ctx: CanvasRenderingContext2D,
    area: AreaView,
    toScreen: (eastM: number, northM: number) => [number, number],
    scale: number,
  ): void {
    ctx.beginPath();
    if (area.kind === 'circle') {
      const [x, y] = toScreen(area.eastM, area.northM);
      ctx.arc(x, y, Math.max(2, area.radiusM * scale), 0, 2 * Math.PI);
    } else {
      area.vertices.forEach(([e, n], i) => {
        const [x, y] = toScreen(e, n);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.closePath();
    }
  }
}

function centreOf(area: AreaView): [number, number] {
  if (area.kind === 'circle') return [area.eastM, area.northM];
  let e = 0;
  let n = 0;
  for (const [ve, vn] of area.vertices) {
    e += ve;
    n += vn;
  }
  return [e / area.vertices.length, n / area.vertices.length];
}

function text(
  ctx: CanvasRenderingContext2D,
  s: string,
  x: number,
  y: number,
  colour: string,
  align: CanvasTextAlign,
): void {
  ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.textAlign = align;
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(10,15,22,0.85)';
  ctx.strokeText(s, x, y);
  ctx.fillStyle = colour;
  ctx.fillText(s, x, y);
}
