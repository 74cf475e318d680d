import type { PictureQualitySettings } from '../config/scenario-picture-quality-schema.js';
import {
  type GospaRunFigures,
  type PictureFrame,
  type PictureObject,
  type PictureQuality,
  type PictureQualityPoint,
  measurePictureQuality,
} from '../metrics/index.js';
import type { PictureSample } from './picture-sampler.js';

export type { PictureQualityPoint } from '../metrics/index.js';

/** A truth sample as the simulator logs it (a structural subset of its `target` record). */
export interface TruthTargetSample {
  readonly kind: string;
  readonly tUs: number;
  readonly targetId?: string;
  readonly eastM?: number;
  readonly northM?: number;
  readonly upM?: number;
  readonly eastMps?: number;
  readonly northMps?: number;
  readonly upMps?: number;
}

/** The run summary's picture-quality figures (`pictureQuality.*` measurement paths). */
export interface RunPictureQuality {
  /** Instants compared (host picture samples). */
  readonly frames: number;
  readonly samplePeriodS: number;
  readonly cutoffM: number;
  readonly p: number;
  readonly switchingPenaltyM: number;
  readonly associationRadiusM: number;
  /** GOSPA means over the instants (mean and max in metres; parts in m^p); null without instants. */
  readonly gospa: GospaRunFigures | null;
  readonly siap: PictureQuality['siap'];
  /** True when the run outlasted the sampler's bound and later instants were not scored. */
  readonly truncated: boolean;
}

/** Most points of the plotted series (longer runs are thinned evenly). */
export const MAX_SERIES_POINTS = 2000;

/**
 * Score the host picture against the simulator's truth: at every picture sample, the tracks it
 * held against the targets flying at that instant (truth linearly interpolated between its
 * samples, host time = truth time + `truthEpochHostUs`). Returns the summary figures and the
 * per-instant series (thinned to {@link MAX_SERIES_POINTS}). Pure and deterministic.
 */
export function runPictureQuality(
  samples: readonly PictureSample[],
  truth: readonly TruthTargetSample[],
  truthEpochHostUs: number,
  settings: PictureQualitySettings,
  truncated = false,
): { summary: RunPictureQuality; series: PictureQualityPoint[] } {
  const frames = pictureFrames(samples, truth, truthEpochHostUs);
  const quality = measurePictureQuality(frames, settings);
  const step = Math.max(1, Math.ceil(quality.series.length / MAX_SERIES_POINTS));
  return {
    summary: {
      frames: quality.frames,
      samplePeriodS: settings.samplePeriodS,
      cutoffM: settings.cutoffM,
      p: settings.p,
      switchingPenaltyM: settings.switchingPenaltyM,
      associationRadiusM: settings.associationRadiusM,
      gospa: quality.gospa,
      siap: quality.siap,
      truncated,
    },
    series: quality.series.filter((_, k) => k % step === 0),
  };
}

interface TruthPoint {
  readonly us: number;
  readonly position: readonly number[];
  readonly velocity: readonly number[];
}

/** Pair each picture sample with the truth at its instant (seconds of host time). */
export function pictureFrames(
  samples: readonly PictureSample[],
  truth: readonly TruthTargetSample[],
  truthEpochHostUs: number,
): PictureFrame[] {
  const byTarget = new Map<string, TruthPoint[]>();
  for (const r of truth) {
    if (r.kind !== 'target' || typeof r.targetId !== 'string') continue;
    let points = byTarget.get(r.targetId);
    if (points === undefined) byTarget.set(r.targetId, (points = []));
    points.push({
      us: r.tUs + truthEpochHostUs,
      position: [r.eastM ?? 0, r.northM ?? 0, r.upM ?? 0],
      velocity: [r.eastMps ?? 0, r.northMps ?? 0, r.upMps ?? 0],
    });
  }
  const targets = [...byTarget].map(([id, points]) => ({ id, points: points.sort((a, b) => a.us - b.us) }));
  return samples.map((sample) => {
    const truths: PictureObject[] = [];
    for (const target of targets) {
      const at = interpolate(target.points, sample.atUs);
      if (at !== null) truths.push({ id: target.id, ...at });
    }
    return {
      tS: sample.atUs / 1e6,
      tracks: sample.tracks.map((t) => ({ id: String(t.trackId), position: t.position, velocity: t.velocity })),
      truths,
    };
  });
}

function interpolate(
  points: readonly TruthPoint[],
  us: number,
): { position: readonly number[]; velocity: readonly number[] } | null {
  if (points.length === 0 || us < points[0]!.us || us > points[points.length - 1]!.us) return null;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.us <= us) lo = mid;
    else hi = mid;
  }
  const a = points[lo]!;
  const b = points[hi]!;
  const f = b.us > a.us ? (us - a.us) / (b.us - a.us) : 0;
  const mix = (x: readonly number[], y: readonly number[]) => x.map((v, i) => v + (y[i]! - v) * f);
  return { position: mix(a.position, b.position), velocity: mix(a.velocity, b.velocity) };
}
