import type { DisplayLayout } from '../display-layout.js';
import type { DisplayState, TrackView } from './display-state.js';

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

interface View {
  centreE: number;
  centreN: number;
  /** Pixels per metre. */
  scale: number;
}

/**
 * The plan view: ENU east right, north up, equal aspect. By default it fits the layout
 * (launcher envelopes) and every track, easing towards the fit so the picture does not jump;
 * the wheel zooms about the pointer (manual mode), a double click returns to the fit.
 */
export class PlanView {
  private view: View | undefined;
  private manual = false;
  private width = 0;
  private height = 0;
  selectedTrack: string | null = null;
  /** Extra layers drawn over the layout and under the tracks (the threat layer). */
  readonly layers: {
    draw(ctx: CanvasRenderingContext2D, toScreen: (e: number, n: number) => [number, number], scale: number): void;
  }[] = [];
  onSelect: (trackId: string | null) => void = () => undefined;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly state: DisplayState,
    private layout: DisplayLayout | null,
  ) {
    canvas.addEventListener('wheel', (ev) => this.wheel(ev), { passive: false });
    canvas.addEventListener('dblclick', () => (this.manual = false));
    canvas.addEventListener('click', (ev) => this.click(ev));
  }

  setLayout(layout: DisplayLayout | null): void {
    this.layout = layout;
  }

  /** Screen position of an ENU point. */
  toScreen(eastM: number, northM: number): [number, number] {
    const v = this.view ?? { centreE: 0, centreN: 0, scale: 1e-3 };
    return [this.width / 2 + (eastM - v.centreE) * v.scale, this.height / 2 - (northM - v.centreN) * v.scale];
  }

  private wheel(ev: WheelEvent): void {
    ev.preventDefault();
    if (this.view === undefined) return;
    const rect = this.canvas.getBoundingClientRect();
    const x = ev.clientX - rect.left;
    const y = ev.clientY - rect.top;
    const e = this.view.centreE + (x - this.width / 2) / this.view.scale;
    const n = this.view.centreN - (y - this.height / 2) / this.view.scale;
    const factor = Math.exp(-ev.deltaY * 0.0015);
    this.view.scale *= factor;
    this.view.centreE = e - (x - this.width / 2) / this.view.scale;
    this.view.centreN = n + (y - this.height / 2) / this.view.scale;
    this.manual = true;
  }

  private click(ev: MouseEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const x = ev.clientX - rect.left;
    const y = ev.clientY - rect.top;
    let best: string | null = null;
    let bestD = 14;
    for (const t of this.state.tracks.values()) {
      const [sx, sy] = this.toScreen(t.eastM, t.northM);
      const d = Math.hypot(sx - x, sy - y);
      if (d < bestD) {
        bestD = d;
        best = t.trackId;
      }
    }
    this.selectedTrack = best;
    this.onSelect(best);
  }

  private fit(): View {
    let minE = Infinity;
    let maxE = -Infinity;
    let minN = Infinity;
    let maxN = -Infinity;
    const add = (e: number, n: number, r = 0): void => {
      minE = Math.min(minE, e - r);
      maxE = Math.max(maxE, e + r);
      minN = Math.min(minN, n - r);
      maxN = Math.max(maxN, n + r);
    };
    for (const l of this.layout?.launchers ?? []) add(l.position.eastM, l.position.northM, l.envelope.maxRangeM);
    for (const r of this.layout?.radars ?? []) add(r.position.eastM, r.position.northM, 2000);
    for (const t of this.state.tracks.values()) add(t.eastM, t.northM, 2000);
    if (!Number.isFinite(minE)) add(0, 0, 20_000);
    const margin = 48;
    const scale = Math.min(
      (this.width - 2 * margin) / Math.max(maxE - minE, 1),
      (this.height - 2 * margin) / Math.max(maxN - minN, 1),
    );
    return { centreE: (minE + maxE) / 2, centreN: (minN + maxN) / 2, scale: Math.max(scale, 1e-6) };
  }

  draw(localNowMs: number): void {
    const dpr = window.devicePixelRatio || 1;
    const rect = this.canvas.getBoundingClientRect();
    this.width = rect.width;
    this.height = rect.height;
    if (this.canvas.width !== Math.round(rect.width * dpr) || this.canvas.height !== Math.round(rect.height * dpr)) {
      this.canvas.width = Math.round(rect.width * dpr);
      this.canvas.height = Math.round(rect.height * dpr);
    }
    const ctx = this.canvas.getContext('2d');
    if (ctx === null || this.width === 0) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (!this.manual) {
      const target = this.fit();
      if (this.view === undefined) this.view = target;
      else {
        // Ease towards the fit: zoom in log space.
        const k = 0.08;
        this.view.centreE += (target.centreE - this.view.centreE) * k;
        this.view.centreN += (target.centreN - this.view.centreN) * k;
        this.view.scale = Math.exp(
          Math.log(this.view.scale) + (Math.log(target.scale) - Math.log(this.view.scale)) * k,
        );
      }
    }
    ctx.fillStyle = '#0a0f16';
    ctx.fillRect(0, 0, this.width, this.height);
    this.drawGrid(ctx);
    this.drawLayout(ctx);
    for (const layer of this.layers) layer.draw(ctx, (e, n) => this.toScreen(e, n), this.view!.scale);
    const nowUs = this.state.nodeNowUs(localNowMs);
    this.drawEngagements(ctx, nowUs);
    for (const t of this.state.tracks.values()) this.drawTrack(ctx, t);
    this.drawScaleBar(ctx);
  }

  private drawGrid(ctx: CanvasRenderingContext2D): void {
    const v = this.view!;
    const visibleM = Math.max(this.width, this.height) / v.scale;
    const step = niceStep(visibleM / 6);
    const [ox, oy] = this.toScreen(0, 0);
    const maxR = Math.hypot(this.width, this.height) / v.scale + Math.hypot(v.centreE, v.centreN);
    ctx.lineWidth = 1;
    ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
    ctx.textAlign = 'left';
    for (let r = step, i = 1; r <= maxR && i < 60; r += step, i++) {
      ctx.strokeStyle = i % 5 === 0 ? 'rgba(120,150,180,0.22)' : 'rgba(120,150,180,0.11)';
      ctx.beginPath();
      ctx.arc(ox, oy, r * v.scale, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.fillStyle = 'rgba(140,165,190,0.45)';
      ctx.fillText(formatKm(r), ox + r * v.scale * Math.SQRT1_2 + 3, oy - r * v.scale * Math.SQRT1_2 - 3);
    }
    ctx.strokeStyle = 'rgba(120,150,180,0.14)';
    ctx.beginPath();
    ctx.moveTo(0, oy);
    ctx.lineTo(this.width, oy);
    ctx.moveTo(ox, 0);
    ctx.lineTo(ox, this.height);
    ctx.stroke();
    // North arrow.
    ctx.fillStyle = 'rgba(200,215,230,0.7)';
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText('N', this.width - 24, 22);
    ctx.beginPath();
    ctx.moveTo(this.width - 24, 28);
    ctx.lineTo(this.width - 29, 42);
    ctx.lineTo(this.width - 19, 42);
    ctx.closePath();
    ctx.fill();
  }

  private drawScaleBar(ctx: CanvasRenderingContext2D): void {
    const v = this.view!;
    const lengthM = niceStep(120 / v.scale);
    const px = lengthM * v.scale;
    const x = 16;
    const y = this.height - 18;
    ctx.strokeStyle = 'rgba(200,215,230,0.7)';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, y - 4);
    ctx.lineTo(x, y);
    ctx.lineTo(x + px, y);
    ctx.lineTo(x + px, y - 4);
    ctx.stroke();
    ctx.fillStyle = 'rgba(200,215,230,0.8)';
    ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
    ctx.textAlign = 'left';
    ctx.fillText(formatKm(lengthM), x + px + 6, y + 3);
    if (this.manual) ctx.fillText('manual zoom — double-click to fit', x, y - 12);
  }

  private drawLayout(ctx: CanvasRenderingContext2D): void {
    const v = this.view!;
    const layout = this.layout;
    if (layout === null) return;
    for (const l of layout.launchers) {
      const [x, y] = this.toScreen(l.position.eastM, l.position.northM);
      ctx.fillStyle = 'rgba(90,170,255,0.035)';
      ctx.strokeStyle = 'rgba(90,170,255,0.35)';
      ctx.setLineDash([6, 5]);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.arc(x, y, l.envelope.maxRangeM * v.scale, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
      ctx.setLineDash([2, 4]);
      ctx.strokeStyle = 'rgba(90,170,255,0.3)';
      ctx.beginPath();
      ctx.arc(x, y, l.envelope.minRangeM * v.scale, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    for (const r of layout.radars) {
      const [x, y] = this.toScreen(r.position.eastM, r.position.northM);
      const device = this.state.devices.get(r.id);
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
      const [x, y] = this.toScreen(l.position.eastM, l.position.northM);
      const device = this.state.devices.get(l.id);
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

  private drawEngagements(ctx: CanvasRenderingContext2D, nowUs: number | null): void {
    const launchers = new Map((this.layout?.launchers ?? []).map((l) => [l.id, l.position]));
    // Predicted intercept points of live engagements.
    for (const e of this.state.engagements.values()) {
      if (e.aim === null || !['planned', 'fire-sent', 'launched'].includes(e.state)) continue;
      const [x, y] = this.toScreen(e.aim.eastM, e.aim.northM);
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
        const [lx, ly] = this.toScreen(from.eastM, from.northM);
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
    for (const { engagement: e, fraction } of this.state.interceptorsInFlight(nowUs)) {
      const from = launchers.get(e.launcherId);
      if (from === undefined || e.aim === null) continue;
      const [lx, ly] = this.toScreen(from.eastM, from.northM);
      const [ax, ay] = this.toScreen(e.aim.eastM, e.aim.northM);
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

  private drawTrack(ctx: CanvasRenderingContext2D, t: TrackView): void {
    const v = this.view!;
    const colour = colourOf(t.iff);
    const [x, y] = this.toScreen(t.eastM, t.northM);
    // Trail.
    for (let i = 0; i < t.trail.length; i++) {
      const p = t.trail[i]!;
      const [px, py] = this.toScreen(p.eastM, p.northM);
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
    ctx.lineTo(x + t.eastMps * LEADER_S * v.scale, y - t.northMps * LEADER_S * v.scale);
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
    if (t.trackId === this.selectedTrack) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x - 14, y - 14, 28, 28);
    }
    ctx.globalAlpha = 1;
    label(ctx, `${t.trackId}  ${(t.upM / 1000).toFixed(1)}`, x + 9, y - 8, colour);
  }
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

/** 1, 2 or 5 times a power of ten, at least `x`. */
function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(x, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

function formatKm(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(m % 1000 === 0 ? 0 : 1)} km` : `${m.toFixed(0)} m`;
}
