/** Track builders for the fusion tests. */
import type { LocalTrack, PartnerTrack, TrackFrame } from '../../src/fusion/index.js';

/** A diagonal covariance: position variance `posVar` m², velocity variance `velVar` m²/s². */
export function diagCov(posVar: number, velVar: number): number[] {
  const c = new Array<number>(36).fill(0);
  for (let i = 0; i < 3; i++) {
    c[i * 7] = posVar;
    c[(i + 3) * 7] = velVar;
  }
  return c;
}

/** A local track with a diagonal covariance. */
export function local(trackId: string, tovUs: number, state: number[], posVar = 100, velVar = 4): LocalTrack {
  return {
    kind: 'local',
    trackId,
    tovUs,
    state,
    covariance: diagCov(posVar, velVar),
    identity: 'unknown',
    quality: 0.8,
    pedigree: { nodeId: 'alpha', sensorId: 'R1', fused: false },
  };
}

/** A partner track of `nodeId` in `frame` (default: the partner's ENU equal to alpha's site). */
export function partner(
  nodeId: string,
  trackId: string,
  tovUs: number,
  state: number[],
  frame: TrackFrame,
  posVar = 100,
  velVar = 4,
): PartnerTrack {
  return {
    kind: 'partner',
    trackId,
    tovUs,
    frame,
    state,
    covariance: diagCov(posVar, velVar),
    identity: 'hostile',
    quality: 0.6,
    pedigree: { nodeId, sensorId: 'S9', fused: false },
  };
}
