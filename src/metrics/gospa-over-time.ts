import { type GospaParameters, MetricParameterError, gospa } from './gospa.js';
import type { PictureFrame } from './picture-frame.js';
import { SwitchingCounter } from './switching-loss.js';

/** GOSPA parameters for sequences: {@link GospaParameters} and the switching penalty. */
export interface GospaOverTimeParameters extends GospaParameters {
  /** Track-switch penalty γ ≥ 0 (unit of the positions); 0 = no switching part. */
  readonly switchingPenalty: number;
}

/** GOSPA at one frame of a sequence, with its four parts (each in unit^p). */
export interface GospaFrame {
  readonly tS: number;
  /** (localisation + missed + false + switching)^(1/p). */
  readonly distance: number;
  readonly localisation: number;
  readonly missed: number;
  readonly false: number;
  /** γ^p × the step's switch count (½ per half switch). */
  readonly switching: number;
  /** Truths missed at this frame. */
  readonly missedCount: number;
  /** Tracks false at this frame. */
  readonly falseCount: number;
  /** Switch count at this frame (½ per half switch). */
  readonly switches: number;
}

/**
 * GOSPA with a track-switching part at every frame: per frame the GOSPA of the frame's tracks
 * against its truths ({@link gospa}), plus γ^p times the frame's switch count
 * ({@link SwitchingCounter}) from the optimal assignment's truth → track ids. At each frame the
 * four parts sum to distance^p (the trajectory-GOSPA time-step term). For p = 2 this equals
 * Stone Soup's GOSPAMetric with `switching_penalty` (which reports its switching value as
 * γ·s^(1/p)). Pure; throws {@link MetricParameterError} on bad parameters.
 */
export function gospaOverTime(frames: readonly PictureFrame[], params: GospaOverTimeParameters): GospaFrame[] {
  if (!(Number.isFinite(params.switchingPenalty) && params.switchingPenalty >= 0))
    throw new MetricParameterError(`switching penalty must be >= 0, got ${params.switchingPenalty}`);
  const counter = new SwitchingCounter();
  const penaltyP = params.switchingPenalty ** params.p;
  return frames.map((frame) => {
    const g = gospa(
      frame.tracks.map((t) => t.position),
      frame.truths.map((t) => t.position),
      params,
    );
    const associations = new Map<string, string | null>();
    for (const [i, truth] of frame.truths.entries()) {
      const j = g.truthToEstimate[i]!;
      associations.set(truth.id, j < 0 ? null : frame.tracks[j]!.id);
    }
    const switches = counter.add(associations);
    const switching = penaltyP * switches;
    return {
      tS: frame.tS,
      distance: (g.localisation + g.missed + g.false + switching) ** (1 / params.p),
      localisation: g.localisation,
      missed: g.missed,
      false: g.false,
      switching,
      missedCount: g.missedCount,
      falseCount: g.falseCount,
      switches,
    };
  });
}
