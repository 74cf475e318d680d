import type { IffClass } from './control-inputs.js';
import { FILTERS_PER_TRACK, IMM_MODELS, IMM_PROB, IMM_STRIDE } from './filter-layout.js';

export const LIFECYCLE_FREE = 0;
export const LIFECYCLE_ACTIVE = 1;
/** A radar reported the target destroyed: kept (so its radar tracks are absorbed), never engaged. */
export const LIFECYCLE_DESTROYED = 2;

export const IFF_UNKNOWN = 0;
export const IFF_FRIENDLY = 1;
export const IFF_HOSTILE = 2;
/** IFF names → IFF_* codes; a `Record` keeps it complete against the ICD's enum. */
export const IFF_CODE: Readonly<Record<IffClass, number>> = {
  unknown: IFF_UNKNOWN,
  friendly: IFF_FRIENDLY,
  hostile: IFF_HOSTILE,
};
/** IFF_* codes → names. */
export const IFF_NAME: readonly IffClass[] = ['unknown', 'friendly', 'hostile'];

export const MODEL_CV = 0;
export const MODEL_BALLISTIC = 1;

export const HOLD_NONE = 0;
export const HOLD_FIRE = 1;
export const HOLD_CEASE = 2;

/**
 * Host tracks as struct-of-arrays with a fixed capacity: typed-array columns indexed by slot,
 * allocated once, so tracking thousands of targets allocates nothing per tick. A slot is reused
 * after its track is dropped; `trackId` (never reused) is what leaves the core.
 *
 * Internal to src/control: the columns are written by the tracker and the engagement code only.
 */
export class TrackTable {
  readonly capacity: number;
  readonly maxLinks: number;
  readonly trackId: Float64Array;
  readonly lifecycle: Uint8Array;
  /** 4 axis filters per track (see FILTER_* in filter-layout.ts), state at `refTimeUs`. */
  readonly filters: Float64Array;
  /** Host time of the filter state (last measurement used). */
  readonly refTimeUs: Float64Array;
  readonly firstSeenUs: Float64Array;
  readonly hits: Uint32Array;
  /** Bumped on every filter update, so caches can tell a changed estimate. */
  readonly version: Uint32Array;
  /** Smoothed radar quality, 0..100. */
  readonly quality: Float64Array;
  readonly model: Uint8Array;
  /** Fading-memory log-likelihood ratio, ballistic vs constant velocity (IMM: log-odds of the ballistic models). */
  readonly modelScore: Float64Array;
  /**
   * IMM tracker only: per slot IMM_STRIDE numbers, the model-matched filters and the model
   * probabilities (layout in filter-layout.ts; {@link modelProbability} reads one). `filters` holds the
   * combined estimate either way.
   */
  readonly imm: Float64Array;
  /** Fused IFF (IFF_*): friendly if any radar says so, else hostile if any does, else unknown. */
  readonly iff: Uint8Array;
  readonly coasting: Uint8Array;
  /** Threat keys, refreshed on update: predicted impact (ground or defended point), +Infinity when none. */
  readonly impactAtUs: Float64Array;
  readonly rangeToOriginM: Float64Array;
  /** Operator priority (engage-track). */
  readonly priority: Uint8Array;
  /** Operator hold (HOLD_*). */
  readonly hold: Uint8Array;
  /**
   * Slot of the engagement that holds this track (planned … awaiting assessment), or -1. When
   * only one engagement holds the track it is this one (EngagementActions.release moves the
   * second up).
   */
  readonly engagementSlot: Int32Array;
  /** Slot of a second engagement on the track (a salvo round, doctrine `firing: salvo`), or -1. */
  readonly salvoEngagementSlot: Int32Array;
  /** The track may not be engaged before this host time (a FIRE whose fate is unknown). */
  readonly reengageNotBeforeUs: Float64Array;
  readonly linkCount: Uint8Array;
  /** Radar-track keys (see RadarLinkIndex) of each slot, `maxLinks` per slot. */
  readonly linkKey: Float64Array;
  /** Latest IFF reported on each link (IFF_*). */
  readonly linkIff: Uint8Array;
  /**
   * Slots of live tracks (active or destroyed): `active[0 .. activeCount)`, kept in threat order
   * by ThreatOrder; new tracks are appended.
   */
  readonly active: Int32Array;
  private activeLength = 0;
  private readonly freeSlots: Int32Array;
  private freeCount: number;
  private nextTrackId = 1;

  constructor(capacity: number, maxLinks: number) {
    this.capacity = capacity;
    this.maxLinks = maxLinks;
    this.trackId = new Float64Array(capacity);
    this.lifecycle = new Uint8Array(capacity);
    this.filters = new Float64Array(capacity * FILTERS_PER_TRACK);
    this.refTimeUs = new Float64Array(capacity);
    this.firstSeenUs = new Float64Array(capacity);
    this.hits = new Uint32Array(capacity);
    this.version = new Uint32Array(capacity);
    this.quality = new Float64Array(capacity);
    this.model = new Uint8Array(capacity);
    this.modelScore = new Float64Array(capacity);
    this.imm = new Float64Array(capacity * IMM_STRIDE);
    this.iff = new Uint8Array(capacity);
    this.coasting = new Uint8Array(capacity);
    this.impactAtUs = new Float64Array(capacity);
    this.rangeToOriginM = new Float64Array(capacity);
    this.priority = new Uint8Array(capacity);
    this.hold = new Uint8Array(capacity);
    this.engagementSlot = new Int32Array(capacity).fill(-1);
    this.salvoEngagementSlot = new Int32Array(capacity).fill(-1);
    this.reengageNotBeforeUs = new Float64Array(capacity);
    this.linkCount = new Uint8Array(capacity);
    this.linkKey = new Float64Array(capacity * maxLinks);
    this.linkIff = new Uint8Array(capacity * maxLinks);
    this.active = new Int32Array(capacity);
    this.freeSlots = new Int32Array(capacity);
    // Lowest slots first, so slot order is a pure function of the input history.
    for (let i = 0; i < capacity; i++) this.freeSlots[i] = capacity - 1 - i;
    this.freeCount = capacity;
  }

  /** Live tracks (active or destroyed). */
  get activeCount(): number {
    return this.activeLength;
  }

  /** Takes a free slot for a new track, or returns -1 when the table is full. */
  allocate(nowUs: number): number {
    if (this.freeCount === 0) return -1;
    const slot = this.freeSlots[--this.freeCount]!;
    this.trackId[slot] = this.nextTrackId++;
    this.lifecycle[slot] = LIFECYCLE_ACTIVE;
    this.firstSeenUs[slot] = nowUs;
    this.hits[slot] = 0;
    this.version[slot] = 0;
    this.quality[slot] = 0;
    this.model[slot] = MODEL_CV;
    this.modelScore[slot] = 0;
    this.iff[slot] = IFF_UNKNOWN;
    this.coasting[slot] = 0;
    this.impactAtUs[slot] = Infinity;
    this.rangeToOriginM[slot] = 0;
    this.priority[slot] = 0;
    this.hold[slot] = HOLD_NONE;
    this.engagementSlot[slot] = -1;
    this.salvoEngagementSlot[slot] = -1;
    this.reengageNotBeforeUs[slot] = 0;
    this.linkCount[slot] = 0;
    this.active[this.activeLength++] = slot;
    return slot;
  }

  /** Returns a slot to the free list (its links must already be removed from the index). */
  release(slot: number): void {
    this.lifecycle[slot] = LIFECYCLE_FREE;
    this.linkCount[slot] = 0;
    this.engagementSlot[slot] = -1;
    this.salvoEngagementSlot[slot] = -1;
    this.freeSlots[this.freeCount++] = slot;
    // Order-preserving removal keeps the threat order valid; drops are rare next to updates.
    let i = 0;
    while (i < this.activeLength && this.active[i] !== slot) i++;
    if (i < this.activeLength) {
      this.active.copyWithin(i, i + 1, this.activeLength);
      this.activeLength--;
    }
  }

  /** Slot of a live track id, or -1 (linear; for operator commands, not the hot path). */
  findSlot(trackId: number): number {
    for (let i = 0; i < this.activeLength; i++) {
      const s = this.active[i]!;
      if (this.trackId[s] === trackId) return s;
    }
    return -1;
  }

  /** Whether `slot` still holds the track `trackId`. */
  holds(slot: number, trackId: number): boolean {
    return slot >= 0 && this.lifecycle[slot] !== LIFECYCLE_FREE && this.trackId[slot] === trackId;
  }

  /**
   * IMM tracker: the probability of model `model` (IMM_CV, IMM_BALLISTIC, IMM_DRAG,
   * IMM_MANOEUVRE) for the track in `slot`; NaN for a model index out of range.
   */
  modelProbability(slot: number, model: number): number {
    if (model < 0 || model >= IMM_MODELS) return Number.NaN;
    return this.imm[slot * IMM_STRIDE + IMM_PROB + model]!;
  }

  /** Appends a link (radar link key, IFF_* code) to a slot; the caller checks there is room. */
  addLink(slot: number, key: number, iff: number): void {
    const i = slot * this.maxLinks + this.linkCount[slot]!;
    this.linkKey[i] = key;
    this.linkIff[i] = iff;
    this.linkCount[slot]!++;
  }

  /** Sets the IFF_* code of a slot's link `key` (unfused: see {@link fuseIff}). */
  setLinkIff(slot: number, key: number, iff: number): void {
    const base = slot * this.maxLinks;
    for (let k = 0; k < this.linkCount[slot]!; k++) {
      if (this.linkKey[base + k] === key) this.linkIff[base + k] = iff;
    }
  }

  /** Removes link `key` from a slot, keeping the order of the others; absent, nothing. */
  removeLink(slot: number, key: number): void {
    const base = slot * this.maxLinks;
    const n = this.linkCount[slot]!;
    for (let k = 0; k < n; k++) {
      if (this.linkKey[base + k] === key) {
        for (let j = k; j < n - 1; j++) {
          this.linkKey[base + j] = this.linkKey[base + j + 1]!;
          this.linkIff[base + j] = this.linkIff[base + j + 1]!;
        }
        this.linkCount[slot] = n - 1;
        return;
      }
    }
  }

  /** Recomputes the fused IFF of a slot from its links. */
  fuseIff(slot: number): void {
    let friendly = false;
    let hostile = false;
    const base = slot * this.maxLinks;
    for (let i = 0; i < this.linkCount[slot]!; i++) {
      const iff = this.linkIff[base + i];
      if (iff === IFF_FRIENDLY) friendly = true;
      else if (iff === IFF_HOSTILE) hostile = true;
    }
    this.iff[slot] = friendly ? IFF_FRIENDLY : hostile ? IFF_HOSTILE : IFF_UNKNOWN;
  }
}
