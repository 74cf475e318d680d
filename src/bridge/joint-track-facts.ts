import type { DetailMap } from './bridge-source.js';

/** One fused track's association as the node's fusion made it (positions in the node's ENU, m). */
export interface TrackAssociation {
  /** The node's own track (a `tracks` entry) the fused track is anchored on. */
  readonly trackId: string;
  readonly jointId: number;
  readonly fusedEastM: number;
  readonly fusedNorthM: number;
  /** Where the own track stood at the fusion time. */
  readonly ownEastM: number;
  readonly ownNorthM: number;
  /** The partner tracks fused into it, one per partner node. */
  readonly partners: readonly {
    readonly nodeId: string;
    readonly trackId: string;
    readonly eastM: number;
    readonly northM: number;
  }[];
}

/** Most tracks the board holds facts for (the picture's own bound is far below). */
const MAX_FACTS = 10_000;
/** Longest `detail` key (the payload schema's bound). */
const MAX_KEY = 64;

/**
 * The `detail` keys of a fused track on `tracks` (docs/mqtt.md §Tracks): `jointId`,
 * `fusedEastM`/`fusedNorthM` (the fused position), `ownEastM`/`ownNorthM` (the own member) and,
 * per partner node P, `partner.P.trackId`, `partner.P.eastM`, `partner.P.northM`. A partner whose
 * keys would pass the 64-character key bound is left out (never a truncated key).
 */
export function associationDetail(a: TrackAssociation): DetailMap {
  const detail: Record<string, string | number> = {
    jointId: a.jointId,
    fusedEastM: a.fusedEastM,
    fusedNorthM: a.fusedNorthM,
    ownEastM: a.ownEastM,
    ownNorthM: a.ownNorthM,
  };
  for (const p of a.partners) {
    if (`partner.${p.nodeId}.trackId`.length > MAX_KEY) continue;
    detail[`partner.${p.nodeId}.trackId`] = p.trackId;
    detail[`partner.${p.nodeId}.eastM`] = p.eastM;
    detail[`partner.${p.nodeId}.northM`] = p.northM;
  }
  return detail;
}

/**
 * What the node's fusion says about its published tracks: for each own track fused with partner
 * tracks, its association ({@link associationDetail}), added to that track's `detail` on the
 * `tracks` topic so a display can draw the association lines. The fusion replaces the whole set
 * after each update (`set`); the state publisher reads it (`of`) when it renders a picture.
 * Bounded ({@link MAX_FACTS}); never throws.
 */
export class JointTrackFacts {
  private facts = new Map<string, DetailMap>();

  /** Replace every fact with those of `associations` (the latest fusion update). */
  set(associations: readonly TrackAssociation[]): void {
    const next = new Map<string, DetailMap>();
    for (const a of associations) {
      if (next.size >= MAX_FACTS) break;
      next.set(a.trackId, associationDetail(a));
    }
    this.facts = next;
  }

  /** The extra `detail` of track `trackId`, or undefined. */
  of(trackId: string): DetailMap | undefined {
    return this.facts.get(trackId);
  }
}
