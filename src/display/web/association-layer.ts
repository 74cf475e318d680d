/// <reference lib="dom" />
import type { DisplayState } from './display-state.js';
import { el } from './element.js';
import { JOINT_ORIGIN_COLOURS } from './joint-layer.js';

/** A fused track's association as its node published it (ENU metres of that node). */
export interface AssociationView {
  readonly jointId: number | null;
  readonly fusedEastM: number;
  readonly fusedNorthM: number;
  readonly ownEastM: number;
  readonly ownNorthM: number;
  readonly partners: readonly { readonly nodeId: string; readonly trackId: string; eastM: number; northM: number }[];
}

/** Most partner members read from one track's detail (a joint scenario has at most 8 nodes). */
const MAX_PARTNERS = 16;

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * A track's association from its `detail` (docs/mqtt.md §Tracks: `fusedEastM`, `fusedNorthM`,
 * `ownEastM`, `ownNorthM`, `partner.<node>.trackId|eastM|northM`); null when the track carries
 * none, or carries it incompletely (nothing half drawn).
 */
export function associationOf(detail: Readonly<Record<string, unknown>>): AssociationView | null {
  const fusedEastM = finite(detail['fusedEastM']);
  const fusedNorthM = finite(detail['fusedNorthM']);
  const ownEastM = finite(detail['ownEastM']);
  const ownNorthM = finite(detail['ownNorthM']);
  if (fusedEastM === null || fusedNorthM === null || ownEastM === null || ownNorthM === null) return null;
  const partners: AssociationView['partners'][number][] = [];
  for (const key of Object.keys(detail)) {
    const m = /^partner\.(.+)\.trackId$/.exec(key);
    if (m === null || partners.length >= MAX_PARTNERS) continue;
    const nodeId = m[1]!;
    const trackId = detail[key];
    const eastM = finite(detail[`partner.${nodeId}.eastM`]);
    const northM = finite(detail[`partner.${nodeId}.northM`]);
    if (typeof trackId !== 'string' || eastM === null || northM === null) continue;
    partners.push({ nodeId, trackId, eastM, northM });
  }
  if (partners.length === 0) return null;
  return { jointId: finite(detail['jointId']), fusedEastM, fusedNorthM, ownEastM, ownNorthM, partners };
}

/** Colour of the line to the own member; the partner lines take the partner colour. */
export const ASSOCIATION_OWN_COLOUR = '#74c0fc';

/**
 * The association lines of the plan view: for each fused track its node published, a line from
 * the fused position (a small green cross) to the own track it was made of (light blue) and to
 * each partner track (orange, with a small square where the partner's track stood), so a user
 * sees which own and partner tracks were associated.
 */
export class AssociationLayer {
  private legendShown = false;

  /** `legend`: where its legend entry goes once the first association is drawn (once per page). */
  constructor(
    private readonly state: DisplayState,
    private readonly legend: HTMLElement | null = null,
  ) {}

  /** The associations drawn now (for tests and the curious). */
  associations(): { trackId: string; association: AssociationView }[] {
    const out: { trackId: string; association: AssociationView }[] = [];
    for (const t of this.state.tracks.values())
      if (t.association != null) out.push({ trackId: t.trackId, association: t.association });
    return out;
  }

  draw(ctx: CanvasRenderingContext2D, toScreen: (e: number, n: number) => [number, number]): void {
    for (const { association: a } of this.associations()) {
      this.showLegend();
      const [fx, fy] = toScreen(a.fusedEastM, a.fusedNorthM);
      ctx.save();
      ctx.lineWidth = 2;
      const line = (e: number, n: number, colour: string): [number, number] => {
        const [x, y] = toScreen(e, n);
        ctx.strokeStyle = colour;
        ctx.beginPath();
        ctx.moveTo(fx, fy);
        ctx.lineTo(x, y);
        ctx.stroke();
        return [x, y];
      };
      line(a.ownEastM, a.ownNorthM, ASSOCIATION_OWN_COLOUR);
      for (const p of a.partners) {
        const [x, y] = line(p.eastM, p.northM, JOINT_ORIGIN_COLOURS.partner);
        ctx.strokeRect(x - 3, y - 3, 6, 6);
      }
      ctx.strokeStyle = JOINT_ORIGIN_COLOURS.fused;
      ctx.beginPath();
      ctx.moveTo(fx - 4, fy - 4);
      ctx.lineTo(fx + 4, fy + 4);
      ctx.moveTo(fx - 4, fy + 4);
      ctx.lineTo(fx + 4, fy - 4);
      ctx.stroke();
      ctx.restore();
    }
  }

  private showLegend(): void {
    if (this.legendShown || this.legend === null) return;
    this.legendShown = true;
    if (this.legend.querySelector('.joint-association') !== null) return; // another view's layer added it
    const mark = el('i', 'sym');
    mark.style.borderTop = `2px solid ${JOINT_ORIGIN_COLOURS.partner}`;
    mark.style.height = '0';
    this.legend.append(el('span', 'joint-association', mark, 'association (fused → own, partner)'));
  }
}
