import {
  axisInit,
  axisPredictUpdate,
  createAxisIo,
  IO_ACCEL_MPS2,
  IO_DT_S,
  IO_LOG_LIKELIHOOD,
  IO_Q_M2_PER_S3,
  IO_R_POS_M2,
  IO_R_VEL_M2,
  IO_Z_POS_M,
  IO_Z_VEL_MPS,
} from './axis-kalman.js';
import type { ControlConfig } from './control-config.js';
import type { InputRejectReason, TrackTransition } from './control-events.js';
import type { TrackDropInput, TrackDropReason, TrackMeasurementInput } from './control-inputs.js';
import {
  FILTER_EAST,
  FILTER_NORTH,
  FILTER_UP_BALLISTIC,
  FILTER_UP_CV,
  FILTERS_PER_TRACK,
  IMM_STRIDE,
} from './filter-layout.js';
import { ImmFilter } from './imm-filter.js';
import type { OutputSink } from './output-sink.js';
import { radarIndexOfKey, radarLinkKey, radarTrackIdOfKey, RadarLinkIndex } from './radar-link-index.js';
import { TargetKinematics } from './target-kinematics.js';
import { impactTimeUs } from './time-to-impact.js';
import { TrackGate } from './track-gate.js';
import {
  IFF_CODE,
  IFF_NAME,
  LIFECYCLE_ACTIVE,
  LIFECYCLE_DESTROYED,
  MODEL_BALLISTIC,
  MODEL_CV,
  TrackTable,
} from './track-table.js';

/** Told when a track that an engagement holds is destroyed or goes away. */
export type TrackEndListener = (engagementSlot: number, trackId: number, destroyed: boolean) => void;

/**
 * Radar measurements → host tracks.
 *
 * - Filter: per track, decoupled per-axis position-velocity Kalman filters (axis-kalman.ts) fed
 *   with the radar's position and velocity. The vertical axis runs two filters, constant velocity
 *   and ballistic (gravity as known input); a fading-memory log-likelihood ratio of their
 *   innovations classes the track, with hysteresis. Prediction uses the class's model.
 * - Association: a radar track, once linked, stays with its host track (hash lookup). A radar
 *   track seen for the first time is gated (chi-square on position, then on velocity, each with a
 *   floor) against every live track not yet linked to that radar, predicted to the measurement
 *   time; the nearest in the gate absorbs it, so several radars reporting one target make one
 *   track. IFF fuses per link: friendly if any radar says friendly (fail safe).
 * - Lifecycle: a measurement older than the track's state is ignored (out of sequence); a track
 *   coasts after `coastAfterUs` without measurement and is dropped after `dropAfterUs`; a radar
 *   drop removes that link, the last link removes the track; a `destroyed` drop marks the track
 *   destroyed (never engaged again) and keeps it so that late radar tracks of the debris are
 *   absorbed instead of creating new targets.
 */
export class Tracker {
  readonly table: TrackTable;
  private readonly index: RadarLinkIndex;
  private readonly radarIndexById = new Map<string, number>();
  private readonly kin = new TargetKinematics();
  private readonly gater: TrackGate;
  private readonly io = createAxisIo();
  private readonly imm: ImmFilter | undefined;
  /** IMM measurement scratch: east, north, up, eastMps, northMps, upMps. */
  private readonly z = new Float64Array(6);

  constructor(
    private readonly config: ControlConfig,
    private readonly sink: OutputSink,
    private readonly onTrackEnd: TrackEndListener,
  ) {
    const t = config.tracking;
    this.table = new TrackTable(t.maxTracks, t.maxLinksPerTrack);
    this.index = new RadarLinkIndex(t.maxTracks * t.maxLinksPerTrack);
    this.gater = new TrackGate(this.table, t, this.kin);
    config.radars.forEach((r, i) => this.radarIndexById.set(r.id, i));
    this.imm =
      t.filter === 'imm'
        ? new ImmFilter({
            cvProcessNoiseM2PerS3: t.processNoiseM2PerS3,
            ballisticProcessNoiseM2PerS3: t.immBallisticProcessNoiseM2PerS3,
            manoeuvreProcessNoiseM2PerS3: t.immManoeuvreProcessNoiseM2PerS3,
            dragBallisticCoefficientKgPerM2: t.immDragBallisticCoefficientKgPerM2,
            stayProbability: t.immStayProbability,
            gravityMps2: t.gravityMps2,
          })
        : undefined;
  }

  /** Applies one measurement; returns why it was rejected, or null. */
  measure(m: TrackMeasurementInput): InputRejectReason | null {
    const radarIndex = this.radarIndexById.get(m.radarId);
    if (radarIndex === undefined) return 'unknown-radar';
    const table = this.table;
    const key = radarLinkKey(radarIndex, m.radarTrackId);
    let slot = this.index.get(key);
    if (slot < 0) {
      slot = this.gater.nearestUnlinked(m, radarIndex);
      if (slot >= 0) {
        if (!this.index.set(key, slot)) return 'track-table-full';
        this.table.addLink(slot, key, IFF_CODE[m.iff]);
        this.emit('associated', slot, key, null);
        this.fuseIff(slot, true);
      } else {
        slot = table.allocate(this.sink.atUs);
        if (slot < 0) return 'track-table-full';
        if (!this.index.set(key, slot)) {
          table.release(slot);
          return 'track-table-full';
        }
        this.table.addLink(slot, key, IFF_CODE[m.iff]);
        this.start(slot, m);
        this.emit('created', slot, key, null);
        if (this.config.tracking.confirmHits <= 1) this.emit('confirmed', slot, null, null);
        return null;
      }
    } else {
      if (this.imm !== undefined) slot = this.regate(m, radarIndex, key, slot);
      this.table.setLinkIff(slot, key, IFF_CODE[m.iff]);
      this.fuseIff(slot, true);
    }
    // IFF is applied even from an old measurement (fail safe); the kinematics are not.
    if (m.measurementTimeUs < table.refTimeUs[slot]!) return 'out-of-sequence';
    this.update(slot, m);
    return null;
  }

  /** Applies a radar's drop of one of its tracks. Unknown radar tracks are ignored. */
  drop(d: TrackDropInput): InputRejectReason | null {
    const radarIndex = this.radarIndexById.get(d.radarId);
    if (radarIndex === undefined) return 'unknown-radar';
    const key = radarLinkKey(radarIndex, d.radarTrackId);
    const slot = this.index.get(key);
    if (slot < 0) return null;
    const table = this.table;
    this.index.delete(key);
    this.table.removeLink(slot, key);
    this.emit('link-dropped', slot, key, d.reason);
    if (d.reason === 'destroyed' && table.lifecycle[slot] === LIFECYCLE_ACTIVE) {
      table.lifecycle[slot] = LIFECYCLE_DESTROYED;
      this.emit('destroyed', slot, null, d.reason);
      const e = table.engagementSlot[slot]!;
      if (e >= 0) this.onTrackEnd(e, table.trackId[slot]!, true);
      const e2 = table.salvoEngagementSlot[slot]!;
      if (e2 >= 0) this.onTrackEnd(e2, table.trackId[slot]!, true);
    }
    if (table.linkCount[slot] === 0) this.remove(slot, d.reason);
    else this.fuseIff(slot, true);
    return null;
  }

  /** Coasts and drops tracks whose last measurement is too old. */
  sweep(nowUs: number): void {
    const table = this.table;
    const { coastAfterUs, dropAfterUs } = this.config.tracking;
    for (let i = table.activeCount - 1; i >= 0; i--) {
      const slot = table.active[i]!;
      const ageUs = nowUs - table.refTimeUs[slot]!;
      if (ageUs > dropAfterUs) {
        const base = slot * table.maxLinks;
        for (let k = 0; k < table.linkCount[slot]!; k++) this.index.delete(table.linkKey[base + k]!);
        this.remove(slot, 'stale');
      } else if (ageUs > coastAfterUs && table.coasting[slot] === 0) {
        table.coasting[slot] = 1;
        this.emit('coasting', slot, null, null);
      }
    }
  }

  private remove(slot: number, reason: TrackDropReason | 'stale'): void {
    const table = this.table;
    this.emit('dropped', slot, null, reason);
    const destroyed = table.lifecycle[slot] === LIFECYCLE_DESTROYED;
    const e = table.engagementSlot[slot]!;
    if (e >= 0) this.onTrackEnd(e, table.trackId[slot]!, destroyed);
    const e2 = table.salvoEngagementSlot[slot]!;
    if (e2 >= 0) this.onTrackEnd(e2, table.trackId[slot]!, destroyed);
    table.release(slot);
  }

  private start(slot: number, m: TrackMeasurementInput): void {
    const table = this.table;
    const f = table.filters;
    const o = slot * FILTERS_PER_TRACK;
    const rp = m.positionSigmaM * m.positionSigmaM;
    const rv = m.velocitySigmaMps * m.velocitySigmaMps;
    axisInit(f, o + FILTER_EAST, m.eastM, m.eastMps, rp, rv);
    axisInit(f, o + FILTER_NORTH, m.northM, m.northMps, rp, rv);
    axisInit(f, o + FILTER_UP_CV, m.upM, m.upMps, rp, rv);
    axisInit(f, o + FILTER_UP_BALLISTIC, m.upM, m.upMps, rp, rv);
    if (this.imm !== undefined) this.imm.init(table.imm, slot * IMM_STRIDE, this.loadZ(m), rp, rv);
    table.refTimeUs[slot] = m.measurementTimeUs;
    table.hits[slot] = 1;
    table.version[slot] = 1;
    table.quality[slot] = m.quality;
    this.fuseIff(slot, false);
    this.refreshThreat(slot);
  }

  private loadZ(m: TrackMeasurementInput): Float64Array {
    const z = this.z;
    z[0] = m.eastM;
    z[1] = m.northM;
    z[2] = m.upM;
    z[3] = m.eastMps;
    z[4] = m.northMps;
    z[5] = m.upMps;
    return z;
  }

  /** Log-likelihood of the constant-velocity vertical filter in the last {@link updateAxes}. */
  private llCv = 0;

  /**
   * The constant-velocity filters (east, north, up) and the ballistic vertical filter of the
   * block at `f[o]`, predicted and updated with `m`; the vertical filters' log-likelihoods are
   * left in `llCv` and io[IO_LOG_LIKELIHOOD] (ballistic).
   */
  private updateAxes(f: Float64Array, o: number, slot: number, m: TrackMeasurementInput): void {
    const t = this.config.tracking;
    const io = this.io;
    io[IO_DT_S] = (m.measurementTimeUs - this.table.refTimeUs[slot]!) / 1e6;
    io[IO_Q_M2_PER_S3] = t.processNoiseM2PerS3;
    io[IO_R_POS_M2] = m.positionSigmaM * m.positionSigmaM;
    io[IO_R_VEL_M2] = m.velocitySigmaMps * m.velocitySigmaMps;
    io[IO_ACCEL_MPS2] = 0;
    io[IO_Z_POS_M] = m.eastM;
    io[IO_Z_VEL_MPS] = m.eastMps;
    axisPredictUpdate(f, o + FILTER_EAST, io);
    io[IO_Z_POS_M] = m.northM;
    io[IO_Z_VEL_MPS] = m.northMps;
    axisPredictUpdate(f, o + FILTER_NORTH, io);
    io[IO_Z_POS_M] = m.upM;
    io[IO_Z_VEL_MPS] = m.upMps;
    axisPredictUpdate(f, o + FILTER_UP_CV, io);
    this.llCv = io[IO_LOG_LIKELIHOOD]!;
    io[IO_ACCEL_MPS2] = -t.gravityMps2;
    axisPredictUpdate(f, o + FILTER_UP_BALLISTIC, io);
  }

  private update(slot: number, m: TrackMeasurementInput): void {
    const table = this.table;
    const t = this.config.tracking;
    const o = slot * FILTERS_PER_TRACK;
    if (this.imm !== undefined) {
      // IMM: the combined estimate goes to `filters`, the ballistic models' weight classes the track.
      const dtS = (m.measurementTimeUs - table.refTimeUs[slot]!) / 1e6;
      const rp = m.positionSigmaM * m.positionSigmaM;
      const rv = m.velocitySigmaMps * m.velocitySigmaMps;
      const ballistic = this.imm.step(table.imm, slot * IMM_STRIDE, dtS, this.loadZ(m), rp, rv, table.filters, o);
      table.modelScore[slot] = Math.log(ballistic / Math.max(1e-12, 1 - ballistic));
      // Hysteresis: classed ballistic above 0.6, constant velocity again below 0.4.
      this.classify(slot, ballistic > 0.6 && t.gravityMps2 >= 0, ballistic < 0.4);
    } else {
      this.updateAxes(table.filters, o, slot, m);
      const cap = 4 * t.ballisticScoreThreshold;
      let score = t.ballisticScoreMemory * table.modelScore[slot]! + (this.io[IO_LOG_LIKELIHOOD]! - this.llCv);
      score = score > cap ? cap : score < -cap ? -cap : score;
      table.modelScore[slot] = score;
      this.classify(slot, score > t.ballisticScoreThreshold, score < -t.ballisticScoreThreshold);
    }
    this.finishUpdate(slot, m);
  }

  /** Moves the track's class to ballistic or back to constant velocity as told, announcing a change. */
  private classify(slot: number, toBallistic: boolean, toCv: boolean): void {
    const table = this.table;
    const model = table.model[slot];
    if (model === MODEL_CV && toBallistic) {
      table.model[slot] = MODEL_BALLISTIC;
      this.emit('classified', slot, null, null);
    } else if (model === MODEL_BALLISTIC && toCv) {
      table.model[slot] = MODEL_CV;
      this.emit('classified', slot, null, null);
    }
  }

  private finishUpdate(slot: number, m: TrackMeasurementInput): void {
    const table = this.table;
    const t = this.config.tracking;
    table.refTimeUs[slot] = m.measurementTimeUs;
    table.version[slot] = (table.version[slot]! + 1) >>> 0;
    table.quality[slot] = 0.5 * table.quality[slot]! + 0.5 * m.quality;
    table.coasting[slot] = 0;
    const hits = ++table.hits[slot]!;
    if (hits === t.confirmHits) this.emit('confirmed', slot, null, null);
    this.refreshThreat(slot);
  }

  private refreshThreat(slot: number): void {
    const table = this.table;
    const kin = this.kin.loadTrack(table, slot, this.config.tracking.gravityMps2);
    table.impactAtUs[slot] = impactTimeUs(kin, this.config.defendedPoints);
    table.rangeToOriginM[slot] = Math.sqrt(kin.eastM * kin.eastM + kin.northM * kin.northM + kin.upM * kin.upM);
  }

  /**
   * IMM: a linked radar track whose measurement falls outside its host track's gate while it
   * fits another active track better — the radar swapped the numbers of two close targets, or
   * moved one number to another target — is re-gated: the link moves to the track that fits
   * (when that track holds another number of the same radar, the two links swap), so that the
   * host track follows the target, not the radar's number. Returns the slot the measurement
   * belongs to.
   */
  private regate(m: TrackMeasurementInput, radarIndex: number, key: number, slot: number): number {
    const table = this.table;
    const t = this.config.tracking;
    if (m.measurementTimeUs < table.refTimeUs[slot]!) return slot;
    const gate2 = t.gateSigmas * t.gateSigmas * 3;
    const minGate2 = t.minGateM * t.minGateM;
    const own = this.gater.positionChi2(m, slot);
    if (own <= gate2 || this.gater.lastDist2 <= minGate2) return slot;
    let best = -1;
    let bestD2 = own;
    for (let i = 0; i < table.activeCount; i++) {
      const other = table.active[i]!;
      if (other === slot || table.lifecycle[other] !== LIFECYCLE_ACTIVE) continue;
      const d2 = this.gater.positionChi2(m, other);
      if ((d2 <= gate2 || this.gater.lastDist2 <= minGate2) && d2 < bestD2) {
        bestD2 = d2;
        best = other;
      }
    }
    if (best < 0) return slot;
    const maxLinks = table.maxLinks;
    let otherK = -1;
    for (let k = 0; k < table.linkCount[best]!; k++) {
      if (radarIndexOfKey(table.linkKey[best * maxLinks + k]!) === radarIndex) otherK = k;
    }
    if (otherK >= 0) {
      let ownK = 0;
      while (table.linkKey[slot * maxLinks + ownK] !== key) ownK++;
      const a = slot * maxLinks + ownK;
      const b = best * maxLinks + otherK;
      const otherKey = table.linkKey[b]!;
      const otherIff = table.linkIff[b]!;
      table.linkKey[b] = key;
      table.linkIff[b] = table.linkIff[a]!;
      table.linkKey[a] = otherKey;
      table.linkIff[a] = otherIff;
      this.index.delete(key);
      this.index.delete(otherKey);
      this.index.set(key, best);
      this.index.set(otherKey, slot);
      this.emit('associated', slot, otherKey, null);
    } else {
      if (table.linkCount[best]! >= maxLinks) return slot;
      const iff = table.linkIff[slot * maxLinks]!;
      this.table.removeLink(slot, key);
      this.index.delete(key);
      this.index.set(key, best);
      this.table.addLink(best, key, iff);
      // A track left without links coasts and goes stale.
    }
    this.emit('associated', best, key, null);
    this.fuseIff(slot, true);
    return best;
  }

  private fuseIff(slot: number, announce: boolean): void {
    const table = this.table;
    const before = table.iff[slot];
    table.fuseIff(slot);
    if (announce && table.iff[slot] !== before) this.emit('iff-changed', slot, null, null);
  }

  private emit(
    transition: TrackTransition,
    slot: number,
    key: number | null,
    reason: TrackDropReason | 'stale' | null,
  ): void {
    const table = this.table;
    this.sink.event({
      kind: 'track',
      seq: this.sink.nextSeq(),
      atUs: this.sink.atUs,
      transition,
      trackId: table.trackId[slot]!,
      radarId: key === null ? null : this.config.radars[radarIndexOfKey(key)]!.id,
      radarTrackId: key === null ? null : radarTrackIdOfKey(key),
      iff: IFF_NAME[table.iff[slot]!]!,
      model: table.model[slot] === MODEL_BALLISTIC ? 'ballistic' : 'constant-velocity',
      reason,
    });
  }
}
