import type { JointTrack, LocalTrack } from '../fusion/index.js';
import { MAX_PICTURE_SAMPLES, type PictureSample } from '../session/picture-sampler.js';
import type { FusedTrackSample } from './joint-nees.js';

/**
 * A joint node's pictures sampled for scoring against truth, at most one sample per
 * `samplePeriodUs` of host time and at most MAX_PICTURE_SAMPLES of each (then sampling stops):
 * the joint picture, its fused tracks with their position covariance (for the NEES), and the
 * node's own-radar picture extrapolated to the sample's UTC (what the node would hold alone).
 */
export class JointPictureSamples {
  readonly joint: PictureSample[] = [];
  readonly fused: { atUs: number; tracks: FusedTrackSample[] }[] = [];
  readonly own: PictureSample[] = [];
  private nextSampleUs = Number.NEGATIVE_INFINITY;

  constructor(private readonly samplePeriodUs: number) {}

  /** Whether a sample is due at `nowUs` (and room is left); if so, the next one is scheduled. */
  due(nowUs: number): boolean {
    if (nowUs < this.nextSampleUs || this.joint.length >= MAX_PICTURE_SAMPLES) return false;
    this.nextSampleUs =
      (this.nextSampleUs === Number.NEGATIVE_INFINITY ? nowUs : this.nextSampleUs) + this.samplePeriodUs;
    if (this.nextSampleUs <= nowUs) this.nextSampleUs = nowUs + this.samplePeriodUs;
    return true;
  }

  /** Add one sample at host time `nowUs`; `utcUs` is the same instant in UTC (own tracks' time base). */
  add(nowUs: number, utcUs: number, joint: readonly JointTrack[], locals: readonly LocalTrack[]): void {
    this.joint.push({
      atUs: nowUs,
      tracks: joint.map((t) => ({
        trackId: t.jointId,
        position: [t.state[0]!, t.state[1]!, t.state[2]!] as const,
        velocity: [t.state[3]!, t.state[4]!, t.state[5]!] as const,
      })),
    });
    this.fused.push({
      atUs: nowUs,
      tracks: joint
        .filter((t) => t.source === 'fused')
        .map((t) => ({
          trackId: t.jointId,
          position: [t.state[0]!, t.state[1]!, t.state[2]!] as const,
          positionCovariance: [0, 1, 2, 6, 7, 8, 12, 13, 14].map((q) => t.covariance[q]!),
        })),
    });
    this.own.push({
      atUs: nowUs,
      tracks: locals.map((t) => {
        const dtS = (utcUs - t.tovUs) / 1e6;
        const s = t.state;
        return {
          trackId: Number(t.trackId),
          position: [s[0]! + s[3]! * dtS, s[1]! + s[4]! * dtS, s[2]! + s[5]! * dtS] as const,
          velocity: [s[3]!, s[4]!, s[5]!] as const,
        };
      }),
    });
  }
}
