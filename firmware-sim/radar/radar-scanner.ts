import type { ScenarioRadar } from '../../src/config/scenario-schema.js';
import type { MessageBody } from '../../src/protocol/message-types.js';
import type { Prng } from '../prng.js';
import { type MutableVec3, type Vec3, add, bearingOf, fromEnu, norm, scratchVec, sub, vec } from '../world/vector3.js';
import type { SimTarget, World } from '../world/world.js';

type TrackReport = Extract<MessageBody, { type: 'TRACK_REPORT' }>;
type TrackDrop = Extract<MessageBody, { type: 'TRACK_DROP' }>;
type DropReason = TrackDrop['reason'];

/** Lifetime of a false track, scans (uniform in [1, FALSE_TRACK_MAX_SCANS]). */
export const FALSE_TRACK_MAX_SCANS = 3;

interface TargetTrack {
  readonly trackId: number;
  hits: number;
  misses: number;
  /** Late initiation: detections still needed before the first report (0: reported). */
  pending: number;
}

/** A split: a second track on one target, for a few scans. */
interface SplitTrack {
  readonly trackId: number;
  readonly target: SimTarget;
  hits: number;
  scansLeft: number;
}

interface FalseTrack {
  readonly trackId: number;
  position: Vec3;
  readonly velocity: Vec3;
  scansLeft: number;
}

/** The random streams a scanner draws from (separate so one kind of draw never shifts another). */
export interface ScannerStreams {
  readonly detection: Prng;
  readonly noise: Prng;
  readonly falseAlarms: Prng;
  /** Track faults (swap, split, late initiation); only drawn from when the radar has `trackFaults`. */
  readonly trackFaults?: Prng;
}

/** One scan's output, in the order it is sent: per target (scenario order), then false tracks. */
export type ScanOutput = (TrackReport | TrackDrop)[];

const DEG = Math.PI / 180;

/**
 * A radar's detection and track logic, one scan at a time (ICD-RDR-003/004):
 * - a flying target within range (scaled by its RCS) is detected with probability
 *   Pd × detectability, measured with Gaussian range, azimuth and elevation noise (and velocity
 *   noise), and reported under its track number;
 * - track numbers count up from 1 and are never reused; a target seen again after a drop gets a
 *   new number;
 * - a track is dropped once: `destroyed` when an interceptor killed the target, `lost` when it
 *   hit the ground or went unseen for `coastScans` scans, `out-of-coverage` when it left range;
 * - false alarms (Poisson, falseAlarmRatePerS) are short-lived tracks with iff unknown.
 * The association of detections to tracks is by truth: the radar tracks well, unless its
 * `trackFaults` make it swap the numbers of close targets, split a track in two or initiate late.
 */
export class RadarScanner {
  private readonly tracks = new Map<string, TargetTrack>();
  private falseTracks: FalseTrack[] = [];
  private splits: SplitTrack[] = [];
  private nextTrackId = 1;
  private readonly position: Vec3;
  /** Detection range of each world target (by index), m: maxRangeM scaled by its RCS. */
  private readonly rangeByTargetM: Float64Array;
  private readonly truePosition: MutableVec3 = scratchVec();
  private readonly relative: MutableVec3 = scratchVec();
  private readonly trueVelocity: MutableVec3 = scratchVec();

  constructor(
    private readonly spec: ScenarioRadar,
    private readonly world: World,
    private readonly streams: ScannerStreams,
  ) {
    this.position = fromEnu(spec.position);
    this.rangeByTargetM = Float64Array.from(world.targets, (target) => this.rangeFor(target));
  }

  /** Tracks held now (targets and false alarms). */
  get activeTracks(): number {
    return this.tracks.size + this.falseTracks.length + this.splits.length;
  }

  /** Scan at shared time `nowUs`, measurement time `deviceUs` in the radar clock. */
  scan(nowUs: number, deviceUs: number): ScanOutput {
    const out: ScanOutput = [];
    this.world.advanceTo(nowUs);
    if (this.spec.trackFaults?.swap !== undefined) this.swapCloseTracks(nowUs);
    for (const target of this.world.targets) this.scanTarget(target, nowUs, deviceUs, out);
    if (this.spec.trackFaults?.split !== undefined) this.scanSplits(nowUs, deviceUs, out);
    this.scanFalseAlarms(deviceUs, out);
    return out;
  }

  /** Track swap: close pairs of tracked, flying targets exchange their track state. */
  private swapCloseTracks(nowUs: number): void {
    const { withinM, probability } = this.spec.trackFaults!.swap!;
    const prng = this.streams.trackFaults!;
    const targets = this.world.targets;
    const a = this.truePosition;
    const b = this.relative;
    for (let i = 0; i < targets.length; i++) {
      const ti = targets[i]!;
      const tracki = this.tracks.get(ti.id);
      if (tracki === undefined || !ti.isFlyingAt(nowUs)) continue;
      ti.positionInto(nowUs, a);
      for (let j = i + 1; j < targets.length; j++) {
        const tj = targets[j]!;
        const trackj = this.tracks.get(tj.id);
        if (trackj === undefined || !tj.isFlyingAt(nowUs)) continue;
        tj.positionInto(nowUs, b);
        const dx = a.x - b.x;
        const dy = a.y - b.y;
        const dz = a.z - b.z;
        if (dx * dx + dy * dy + dz * dz > withinM * withinM) continue;
        if (!prng.chance(probability)) continue;
        this.tracks.set(ti.id, trackj);
        this.tracks.set(tj.id, tracki);
        break;
      }
    }
  }

  /** Track split: live splits report (or end); each reported target track may split anew. */
  private scanSplits(nowUs: number, deviceUs: number, out: ScanOutput): void {
    const { probability, scans } = this.spec.trackFaults!.split!;
    const prng = this.streams.trackFaults!;
    const kept: SplitTrack[] = [];
    for (const split of this.splits) {
      const target = split.target;
      if (--split.scansLeft < 0 || !target.isFlyingAt(nowUs) || !this.tracks.has(target.id)) {
        out.push(drop(split.trackId, deviceUs, 'lost'));
        continue;
      }
      kept.push(split);
      this.reportTarget(target, split.trackId, ++split.hits, nowUs, deviceUs, out);
    }
    for (const target of this.world.targets) {
      const track = this.tracks.get(target.id);
      if (track === undefined || track.pending > 0 || track.misses > 0 || !target.isFlyingAt(nowUs)) continue;
      if (kept.some((s) => s.target === target) || !prng.chance(probability)) continue;
      const split: SplitTrack = { trackId: this.nextTrackId++, target, hits: 1, scansLeft: scans - 1 };
      kept.push(split);
      this.reportTarget(target, split.trackId, split.hits, nowUs, deviceUs, out);
    }
    this.splits = kept;
  }

  /** A report of `target`'s true state under `trackId`. */
  private reportTarget(
    target: SimTarget,
    trackId: number,
    hits: number,
    nowUs: number,
    deviceUs: number,
    out: ScanOutput,
  ): void {
    const p = target.positionInto(nowUs, this.truePosition);
    const relative = this.relative;
    relative.x = p.x - this.position.x;
    relative.y = p.y - this.position.y;
    relative.z = p.z - this.position.z;
    const velocity = target.velocityInto(nowUs, this.trueVelocity);
    out.push(this.report(trackId, hits, deviceUs, relative, velocity, target.spec.iff));
  }

  /** Drop every track (leaving search mode, ICD-RDR-005). */
  dropAll(deviceUs: number, reason: DropReason): TrackDrop[] {
    const drops: TrackDrop[] = [];
    for (const track of this.tracks.values()) if (track.hits > 0) drops.push(drop(track.trackId, deviceUs, reason));
    for (const track of this.falseTracks) drops.push(drop(track.trackId, deviceUs, reason));
    for (const track of this.splits) drops.push(drop(track.trackId, deviceUs, reason));
    this.tracks.clear();
    this.falseTracks = [];
    this.splits = [];
    return drops;
  }

  private scanTarget(target: SimTarget, nowUs: number, deviceUs: number, out: ScanOutput): void {
    if (target.destroyedUs !== undefined && target.destroyedUs <= nowUs)
      return this.endTrack(target, deviceUs, 'destroyed', out);
    if (target.impactUs !== undefined && target.impactUs <= nowUs) return this.endTrack(target, deviceUs, 'lost', out);
    if (!target.isFlyingAt(nowUs)) return;
    const truePosition = target.positionInto(nowUs, this.truePosition);
    const relative = this.relative;
    relative.x = truePosition.x - this.position.x;
    relative.y = truePosition.y - this.position.y;
    relative.z = truePosition.z - this.position.z;
    const rangeM = norm(relative);
    if (rangeM > this.rangeByTargetM[target.index]! || truePosition.z < 0) {
      return this.endTrack(target, deviceUs, 'out-of-coverage', out);
    }
    const track = this.tracks.get(target.id);
    const detected = this.streams.detection.chance(this.spec.detectionProbability * target.spec.detectability);
    if (!detected) {
      if (track !== undefined && ++track.misses >= this.spec.coastScans) this.endTrack(target, deviceUs, 'lost', out);
      return;
    }
    let current = track;
    if (current === undefined) {
      current = { trackId: this.nextTrackId++, hits: 0, misses: 0, pending: this.initiationDelayScans() };
      this.tracks.set(target.id, current);
    }
    current.misses = 0;
    if (current.pending > 0) {
      current.pending--;
      return;
    }
    current.hits++;
    const velocity = target.velocityInto(nowUs, this.trueVelocity);
    out.push(this.report(current.trackId, current.hits, deviceUs, relative, velocity, target.spec.iff));
  }

  /** Drop the target's track, if it has one, for `reason`. */
  private endTrack(target: SimTarget, deviceUs: number, reason: DropReason, out: ScanOutput): void {
    const track = this.tracks.get(target.id);
    if (track === undefined) return;
    this.tracks.delete(target.id);
    // A track held back by late initiation was never reported: nothing to drop.
    if (track.hits > 0) out.push(drop(track.trackId, deviceUs, reason));
  }

  /** Late initiation: how many more detections a new track waits for (0 without the fault). */
  private initiationDelayScans(): number {
    const late = this.spec.trackFaults?.lateInitiation;
    if (late === undefined) return 0;
    return this.streams.trackFaults!.chance(late.probability) ? late.scans : 0;
  }

  private rangeFor(target: SimTarget): number {
    const rcs = target.spec.rcsM2;
    return rcs === undefined
      ? this.spec.maxRangeM
      : this.spec.maxRangeM * Math.pow(rcs / this.spec.referenceRcsM2, 0.25);
  }

  private scanFalseAlarms(deviceUs: number, out: ScanOutput): void {
    const prng = this.streams.falseAlarms;
    const periodS = this.spec.scanPeriodMs / 1000;
    const kept: FalseTrack[] = [];
    for (const track of this.falseTracks) {
      if (--track.scansLeft <= 0) {
        out.push(drop(track.trackId, deviceUs, 'lost'));
        continue;
      }
      track.position = add(
        track.position,
        vec(track.velocity.x * periodS, track.velocity.y * periodS, track.velocity.z * periodS),
      );
      kept.push(track);
      out.push(this.report(track.trackId, 1, deviceUs, sub(track.position, this.position), track.velocity, 'unknown'));
    }
    const count = prng.poisson(this.spec.falseAlarmRatePerS * periodS);
    for (let i = 0; i < count; i++) {
      const rangeM = prng.uniform(0.2, 1) * this.spec.maxRangeM;
      const az = prng.uniform(0, 360) * DEG;
      const el = prng.uniform(0.5, 30) * DEG;
      const heading = prng.uniform(0, 360) * DEG;
      const speed = prng.uniform(50, 400);
      const relative = vec(
        rangeM * Math.cos(el) * Math.sin(az),
        rangeM * Math.cos(el) * Math.cos(az),
        rangeM * Math.sin(el),
      );
      const track: FalseTrack = {
        trackId: this.nextTrackId++,
        position: add(this.position, relative),
        velocity: vec(speed * Math.sin(heading), speed * Math.cos(heading), 0),
        scansLeft: 1 + prng.int(FALSE_TRACK_MAX_SCANS),
      };
      kept.push(track);
      out.push(this.report(track.trackId, 1, deviceUs, relative, track.velocity, 'unknown'));
    }
    this.falseTracks = kept;
  }

  /** A noisy measurement of `relative` (target − radar) and `velocity`. */
  private report(
    trackId: number,
    hits: number,
    deviceUs: number,
    relative: Vec3,
    velocity: Vec3,
    iff: TrackReport['iffClass'],
  ): TrackReport {
    const noise = this.streams.noise;
    const rangeM = norm(relative);
    const { azimuthDeg, elevationDeg } = bearingOf(relative);
    const r = Math.max(0, rangeM + noise.normal(0, this.spec.rangeSigmaM));
    const az = (azimuthDeg + noise.normal(0, this.spec.angleSigmaDeg)) * DEG;
    const el = (elevationDeg + noise.normal(0, this.spec.angleSigmaDeg)) * DEG;
    const horizontalM = r * Math.cos(el);
    const sv = this.spec.velocitySigmaMps;
    const angleSigmaRad = this.spec.angleSigmaDeg * DEG;
    const positionSigmaM = Math.sqrt((this.spec.rangeSigmaM ** 2 + 2 * (rangeM * angleSigmaRad) ** 2) / 3);
    return {
      type: 'TRACK_REPORT',
      trackId,
      measurementTimeUs: deviceUs,
      eastM: this.position.x + horizontalM * Math.sin(az),
      northM: this.position.y + horizontalM * Math.cos(az),
      upM: this.position.z + r * Math.sin(el),
      eastMps: velocity.x + noise.normal(0, sv),
      northMps: velocity.y + noise.normal(0, sv),
      upMps: velocity.z + noise.normal(0, sv),
      positionSigmaM,
      velocitySigmaMps: sv,
      quality: Math.min(100, 20 + 20 * hits),
      iffClass: iff,
    };
  }
}

function drop(trackId: number, deviceUs: number, reason: DropReason): TrackDrop {
  return { type: 'TRACK_DROP', trackId, deviceTimeUs: deviceUs, reason };
}
