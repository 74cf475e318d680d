/// <reference lib="dom" />
import type { DisplayState } from './display-state.js';
import { el } from './element.js';

/** Ring colours of a joint picture's track origins (own tracks keep their plain IFF symbol). */
export const JOINT_ORIGIN_COLOURS = { partner: '#ff922b', fused: '#51cf66' } as const;

/**
 * The joint picture's layer of the plan view: every track a partner's data made (`partner`:
 * a dashed orange ring) or fused with the node's own radars (`fused`: a solid green double
 * ring), so own, partner and fused tracks are told apart at a glance. The origin is the
 * node's own `detail.origin` of each published track; a track without one is drawn as own.
 * Adds its legend entries once the first partner or fused track is seen.
 */
export class JointLayer {
  private legendShown = false;

  constructor(
    private readonly state: DisplayState,
    private readonly legend: HTMLElement | null,
  ) {}

  /** Tracks by origin now: `local`, `partner`, `fused` (a track without an origin counts as local). */
  counts(): { local: number; partner: number; fused: number } {
    const out = { local: 0, partner: 0, fused: 0 };
    for (const t of this.state.tracks.values())
      if (t.origin === 'partner' || t.origin === 'fused') out[t.origin] += 1;
      else out.local += 1;
    return out;
  }

  draw(ctx: CanvasRenderingContext2D, toScreen: (e: number, n: number) => [number, number]): void {
    for (const t of this.state.tracks.values()) {
      if (t.origin !== 'partner' && t.origin !== 'fused') continue;
      this.showLegend();
      const [x, y] = toScreen(t.eastM, t.northM);
      ctx.save();
      ctx.strokeStyle = JOINT_ORIGIN_COLOURS[t.origin];
      ctx.lineWidth = 2.5;
      if (t.origin === 'partner') ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.arc(x, y, 11, 0, 2 * Math.PI);
      ctx.stroke();
      if (t.origin === 'fused') {
        ctx.beginPath();
        ctx.arc(x, y, 15, 0, 2 * Math.PI);
        ctx.stroke();
      }
      ctx.restore();
    }
  }

  private showLegend(): void {
    if (this.legendShown || this.legend === null) return;
    this.legendShown = true;
    if (this.legend.querySelector('.joint-partner') !== null) return; // another view's layer added it
    const ring = (origin: 'partner' | 'fused', text: string): HTMLElement => {
      const mark = el('i', 'sym');
      mark.style.border = `2px ${origin === 'partner' ? 'dashed' : 'double'} ${JOINT_ORIGIN_COLOURS[origin]}`;
      mark.style.borderRadius = '50%';
      return el('span', `joint-${origin}`, mark, text);
    };
    this.legend.append(ring('partner', 'partner track'), ring('fused', 'fused track'));
  }
}
