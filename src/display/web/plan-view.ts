import type { DisplayLayout } from '../display-layout.js';
import type { DisplayState } from './display-state.js';
import { drawGrid, drawScaleBar } from './plan-grid.js';
import { drawEngagements, drawLayout, drawTrack, type PlanProjection } from './plan-symbols.js';

export { IFF_COLOURS } from './plan-symbols.js';

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
    const p = this.projection(this.view!);
    drawGrid(ctx, p);
    drawLayout(ctx, p, this.layout, this.state);
    for (const layer of this.layers) layer.draw(ctx, (e, n) => this.toScreen(e, n), this.view!.scale);
    const nowUs = this.state.nodeNowUs(localNowMs);
    drawEngagements(ctx, p, this.layout, this.state, nowUs);
    for (const t of this.state.tracks.values()) drawTrack(ctx, p, t, t.trackId === this.selectedTrack);
    drawScaleBar(ctx, p, this.manual);
  }

  /** This frame's projection (the view as it is now: it eases between frames). */
  private projection(v: View): PlanProjection {
    return {
      width: this.width,
      height: this.height,
      scale: v.scale,
      centreE: v.centreE,
      centreN: v.centreN,
      toScreen: (e, n) => this.toScreen(e, n),
    };
  }
}
