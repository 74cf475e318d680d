import type { DisplayLayout } from '../display-layout.js';
import type { DisplayState, TrackView } from './display-state.js';

/**
 * How the plan view maps ENU metres to CSS pixels this frame: east right, north up, equal
 * aspect, `scale` pixels per metre about the centre (`centreE`, `centreN`).
 */
export interface PlanProjection {
  readonly width: number;
  readonly height: number;
  /** Pixels per metre. */
  readonly scale: number;
  readonly centreE: number;
  readonly centreN: number;
  toScreen(eastM: number, northM: number): [number, number];
}

/** IFF colours, shared with the panels (legend). */
export const IFF_COLOURS: Readonly<Record<string, string>> = {
  hostile: '#ff5a5f',
  friendly: '#4db2ff',
  unknown: '#ffd23f',
  neutral: '#5ce08a',
};
const colourOf = (iff: string): string => IFF_COLOURS[iff] ?? '#c0c8d4';

/** Seconds of flight a velocity leader shows. */
const LEADER_S = 30;

/** Launcher envelopes, radars and launchers, coloured by device health (armed launchers orange). */
export function drawLayout(
  ctx: CanvasRenderingContext2D,
  p: PlanProjection,
  layout: DisplayLayout | null,
  state: DisplayState,
): void {
  if (layout === null) return;
  for (const l of layout.launchers) {
    const [x, y] = p.toScreen(l.position.eastM, l.position.northM);
    ctx.fillStyle = 'rgba(90,170,255,0.035)';
    ctx.strokeStyle = 'rgba(90,170,255,0.35)';
    ctx.setLineDash([6, 5]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.arc(x, y, l.envelope.maxRangeM * p.scale, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    ctx.setLineDash([2, 4]);
    ctx.strokeStyle = 'rgba(90,170,255,0.3)';
    ctx.beginPath();
    ctx.arc(x, y, l.envelope.minRangeM * p.scale, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  for (const r of layout.radars) {
    const [x, y] = p.toScreen(r.position.eastM, r.position.northM);
    const device = state.devices.get(r.id);
    ctx.fillStyle = deviceColour(device?.quality, device?.link);
    ctx.beginPath();
    ctx.moveTo(x, y - 7);
    ctx.lineTo(x + 7, y);
    ctx.lineTo(x, y + 7);
    ctx.lineTo(x - 7, y);
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = 'rgba(255,255,255,0.65)';
    ctx.lineWidth = 1;
    ctx.stroke();
    label(ctx, r.id, x + 10, y + 4, 'rgba(200,215,230,0.85)');
  }
  for (const l of layout.launchers) {
    const [x, y] = p.toScreen(l.position.eastM, l.position.northM);
    const device = state.devices.get(l.id);
    const armed = device?.state === 'armed';
    ctx.fillStyle = armed ? '#ff9f43' : deviceColour(device?.quality, device?.link);
    ctx.beginPath();
    ctx.moveTo(x, y - 8);
    ctx.lineTo(x + 7, y + 6);
    ctx.lineTo(x - 7, y + 6);
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = 'rgba(255,255,255,0.7)';
    ctx.lineWidth = 1;
    ctx.stroke();
    const rounds = device?.detail['roundsReady'];
    label(ctx, `${l.id}${typeof rounds === 'number' ? ` ·${rounds}` : ''}`, x + 10, y + 4, 'rgba(200,215,230,0.85)');
  }
}

/** Predicted intercept points of live engagements, planned fly-outs, and interceptors in flight at `nowUs`. */
export function drawEngagements(
  ctx: CanvasRenderingContext2D,
  p: PlanProjection,
  layout: DisplayLayout | null,
  state: DisplayState,
  nowUs: number | null,
): void {
  const launchers = new Map((layout?.launchers ?? []).map((l) => [l.id, l.position]));
  // Predicted intercept points of live engagements.
  for (const e of state.engagements.values()) {
    if (e.aim === null || !['planned', 'fire-sent', 'launched'].includes(e.state)) continue;
    const [x, y] = p.toScreen(e.aim.eastM, e.aim.northM);
    ctx.strokeStyle = '#ff9f43';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x - 5, y - 5);
    ctx.lineTo(x + 5, y + 5);
    ctx.moveTo(x + 5, y - 5);
    ctx.lineTo(x - 5, y + 5);
    ctx.stroke();
    const from = launchers.get(e.launcherId);
    if (from !== undefined && e.state === 'planned') {
      const [lx, ly] = p.toScreen(from.eastM, from.northM);
      ctx.strokeStyle = 'rgba(255,159,67,0.25)';
      ctx.setLineDash([3, 5]);
      ctx.beginPath();
      ctx.moveTo(lx, ly);
      ctx.lineTo(x, y);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }
  if (nowUs === null) return;
  for (const { engagement: e, fraction } of state.interceptorsInFlight(nowUs)) {
    const from = launchers.get(e.launcherId);
    if (from === undefined || e.aim === null) continue;
    const [lx, ly] = p.toScreen(from.eastM, from.northM);
    const [ax, ay] = p.toScreen(e.aim.eastM, e.aim.northM);
    const x = lx + (ax - lx) * fraction;
    const y = ly + (ay - ly) * fraction;
    ctx.strokeStyle = 'rgba(255,255,255,0.18)';
    ctx.setLineDash([4, 4]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(ax, ay);
    ctx.stroke();
    ctx.setLineDash([]);
    const gradient = ctx.createLinearGradient(lx, ly, x, y);
    gradient.addColorStop(0, 'rgba(255,255,255,0)');
    gradient.addColorStop(1, 'rgba(255,255,255,0.85)');
    ctx.strokeStyle = gradient;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(lx, ly);
    ctx.lineTo(x, y);
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.shadowColor = '#ffffff';
    ctx.shadowBlur = 8;
    ctx.beginPath();
    ctx.arc(x, y, 3, 0, 2 * Math.PI);
    ctx.fill();
    ctx.shadowBlur = 0;
  }
}

/** One track: trail, velocity leader, IFF symbol, engagement ring, selection box and label. */
export function drawTrack(ctx: CanvasRenderingContext2D, p: PlanProjection, t: TrackView, selected: boolean): void {
  const colour = colourOf(t.iff);
  const [x, y] = p.toScreen(t.eastM, t.northM);
  // Trail.
  for (let i = 0; i < t.trail.length; i++) {
    const point = t.trail[i]!;
    const [px, py] = p.toScreen(point.eastM, point.northM);
    ctx.globalAlpha = 0.08 + (0.4 * i) / t.trail.length;
    ctx.fillStyle = colour;
    ctx.fillRect(px - 1, py - 1, 2, 2);
  }
  ctx.globalAlpha = t.quality === 'stale' ? 0.5 : 1;
  // Velocity leader: LEADER_S seconds of flight.
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(x + t.eastMps * LEADER_S * p.scale, y - t.northMps * LEADER_S * p.scale);
  ctx.stroke();
  // Symbol by IFF: hostile diamond, friendly circle, unknown square.
  ctx.fillStyle = colour;
  ctx.strokeStyle = '#0a0f16';
  ctx.lineWidth = 1;
  ctx.beginPath();
  const s = 5.5;
  if (t.iff === 'hostile') {
    ctx.moveTo(x, y - s - 1);
    ctx.lineTo(x + s + 1, y);
    ctx.lineTo(x, y + s + 1);
    ctx.lineTo(x - s - 1, y);
    ctx.closePath();
  } else if (t.iff === 'friendly') {
    ctx.arc(x, y, s, 0, 2 * Math.PI);
  } else {
    ctx.rect(x - s + 0.5, y - s + 0.5, 2 * s - 1, 2 * s - 1);
  }
  ctx.fill();
  ctx.stroke();
  if (t.engagementId !== null) {
    ctx.strokeStyle = '#ff9f43';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(x, y, 11, 0, 2 * Math.PI);
    ctx.stroke();
  }
  if (selected) {
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 1.5;
    ctx.strokeRect(x - 14, y - 14, 28, 28);
  }
  ctx.globalAlpha = 1;
  label(ctx, `${t.trackId}  ${(t.upM / 1000).toFixed(1)}`, x + 9, y - 8, colour);
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, colour: string): void {
  ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.textAlign = 'left';
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(10,15,22,0.85)';
  ctx.strokeText(text, x, y);
  ctx.fillStyle = colour;
  ctx.fillText(text, x, y);
}

function deviceColour(quality: string | undefined, link: string | undefined): string {
  if (quality === undefined) return '#6b7685';
  if (link !== 'active' || quality === 'stale') return '#ff5a5f';
  if (quality === 'suspect') return '#ffd23f';
  return '#3ddc97';
}
