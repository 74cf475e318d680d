import {
  AssetProbability,
  IO_MEAN_E,
  IO_MEAN_N,
  IO_P,
  IO_SEE,
  IO_SEN,
  IO_SNN,
  PRUNE_SIGMAS,
} from './asset-probability.js';
import type { ControlConfig } from './control-config.js';
import { assetsWithDefendedPoints, type DefendedAssetConfig } from './defended-assets.js';
import { normalCdfFast } from './normal-quadrature.js';
import { TrackEstimate } from './track-estimate.js';
import { IFF_FRIENDLY, LIFECYCLE_ACTIVE, type TrackTable } from './track-table.js';

/** How a track's threat was evaluated. */
export const THREAT_NONE = 0;
/** Predicted impact point (ballistic track). */
export const THREAT_IMPACT = 1;
/** Closest point of approach (constant-velocity track). */
export const THREAT_APPROACH = 2;

/** Closest approaches further ahead than this are not threats (s). */
const MAX_APPROACH_S = 600;

/**
 * Threat evaluation, per live track, in typed arrays indexed by track slot (no allocation per
 * tick). Re-evaluated only when a track's estimate changed (its `version`), since the estimate —
 * and so the predicted impact — only changes on an update.
 *
 * - Ballistic track: the predicted impact point (IPP) on the ground (upM = 0) under gravity, and
 *   its 2-D covariance: the track's per-axis covariances propagated to the impact time, plus the
 *   impact-time uncertainty (σ_τ² = (P_zz + 2τP_zv + τ²P_vv) / v_z(τ)², first order) carried along
 *   the horizontal velocity. Each asset's probability is P(IPP inside its area) (asset-probability.ts).
 * - Constant-velocity track (cruise missile, aircraft): per asset, the horizontal closest point of
 *   approach within 600 s, its covariance at that time, times P(altitude within the asset's band).
 * - Friendly tracks threaten nothing.
 *
 * Threat value = Σ over assets of value × probability; time to impact = the IPP instant, or the
 * closest approach to the asset with the largest value × probability.
 *
 * Cost (docs/decisions/0041-threat-evaluation-in-budget.md): a track–asset pair whose ground
 * point lies farther from the asset's enclosing circle than 5 sigma has probability exactly 0;
 * the evaluator makes that test itself, on the same doubles and in the same order as
 * asset-probability.ts does, before any other per-pair work, so that the ~95 % of pairs it
 * rejects cost a few multiplications and leave the zero `clear()` wrote. The results are the
 * same doubles as without the test (test/control/threat-evaluator-prefilter.property.test.ts).
 */
export class ThreatEvaluator {
  readonly assets: readonly DefendedAssetConfig[];
  readonly assetCount: number;
  /** THREAT_* per slot. */
  readonly kind: Uint8Array;
  readonly threatValue: Float64Array;
  /** Host µs of the predicted impact (or closest approach); +Infinity when none. */
  readonly impactAtUs: Float64Array;
  /** Predicted impact point (or closest-approach point) and its covariance, m and m². */
  readonly ippEastM: Float64Array;
  readonly ippNorthM: Float64Array;
  readonly ippVarEastM2: Float64Array;
  readonly ippCovM2: Float64Array;
  readonly ippVarNorthM2: Float64Array;
  /** Probability per (slot, asset): `probability[slot * assetCount + asset]`. */
  readonly probability: Float32Array;
  /** Index of the asset with the largest value × probability, or -1. */
  readonly topAsset: Int16Array;
  /** `assets[a].value` and altitude band, in typed arrays for the per-pair loops. */
  private readonly assetValue: Float64Array;
  private readonly minAltitudeM: Float64Array;
  private readonly maxAltitudeM: Float64Array;
  /** Asset indices by the east of their enclosing circle's centre, those easts, the largest radius. */
  private readonly eastOrder: Int32Array;
  private readonly eastSorted: Float64Array;
  private readonly maxRadiusM: number;
  /** Scratch: the assets a ballistic track's 5-sigma test passes, in index order. */
  private readonly passed: Int32Array;
  private readonly evaluatedVersion: Uint32Array;
  private readonly evaluatedTrackId: Float64Array;
  private readonly geometry: AssetProbability;
  private readonly est = new TrackEstimate();
  private readonly gravity: number;
  /** Tracks evaluated in the last call (for benchmarks and tests). */
  lastEvaluated = 0;

  constructor(config: ControlConfig) {
    this.assets = assetsWithDefendedPoints(config.defendedAssets, config.defendedPoints);
    this.assetCount = this.assets.length;
    const cap = config.tracking.maxTracks;
    this.kind = new Uint8Array(cap);
    this.threatValue = new Float64Array(cap);
    this.impactAtUs = new Float64Array(cap).fill(Infinity);
    this.ippEastM = new Float64Array(cap);
    this.ippNorthM = new Float64Array(cap);
    this.ippVarEastM2 = new Float64Array(cap);
    this.ippCovM2 = new Float64Array(cap);
    this.ippVarNorthM2 = new Float64Array(cap);
    this.probability = new Float32Array(cap * Math.max(1, this.assetCount));
    this.topAsset = new Int16Array(cap).fill(-1);
    this.evaluatedVersion = new Uint32Array(cap);
    this.evaluatedTrackId = new Float64Array(cap);
    this.geometry = new AssetProbability(this.assets);
    this.assetValue = Float64Array.from(this.assets, (a) => a.value);
    this.minAltitudeM = Float64Array.from(this.assets, (a) => a.minAltitudeM);
    this.maxAltitudeM = Float64Array.from(this.assets, (a) => a.maxAltitudeM);
    const centerE = this.geometry.centerEastM;
    this.eastOrder = Int32Array.from(
      Array.from({ length: this.assetCount }, (_, a) => a).sort((a, b) => centerE[a]! - centerE[b]! || a - b),
    );
    this.eastSorted = Float64Array.from(this.eastOrder, (a) => centerE[a]!);
    this.maxRadiusM = this.geometry.radiusM.reduce((m, r) => Math.max(m, r), 0);
    this.passed = new Int32Array(this.assetCount);
    this.gravity = config.tracking.gravityMps2;
  }

  /** Evaluates every live track whose estimate changed since its last evaluation. */
  evaluate(table: TrackTable, force = false): void {
    let count = 0;
    for (let i = 0; i < table.activeCount; i++) {
      const slot = table.active[i]!;
      if (
        !force &&
        this.evaluatedTrackId[slot] === table.trackId[slot] &&
        this.evaluatedVersion[slot] === table.version[slot]
      )
        continue;
      this.evaluatedTrackId[slot] = table.trackId[slot]!;
      this.evaluatedVersion[slot] = table.version[slot]!;
      count++;
      this.evaluateSlot(table, slot);
    }
    this.lastEvaluated = count;
  }

  private clear(slot: number): void {
    this.kind[slot] = THREAT_NONE;
    this.threatValue[slot] = 0;
    this.impactAtUs[slot] = Infinity;
    this.topAsset[slot] = -1;
    const base = slot * this.assetCount;
    this.probability.fill(0, base, base + this.assetCount);
  }

  private evaluateSlot(table: TrackTable, slot: number): void {
    this.clear(slot);
    if (table.lifecycle[slot] !== LIFECYCLE_ACTIVE || table.iff[slot] === IFF_FRIENDLY) return;
    const k = this.est.load(table, slot, this.gravity);
    if (k.ballistic) this.impact(slot, k);
    else this.approach(slot, k);
  }

  private impact(slot: number, k: TrackEstimate): void {
    const g = -k.accelUpMps2;
    let tau = 0;
    if (k.upM > 0) tau = (k.upMps + Math.sqrt(k.upMps * k.upMps + 2 * g * k.upM)) / g;
    // Impact-time variance: dτ/dz = 1/w, dτ/dvz = τ/w with w = gτ − vz = −vz(τ) > 0.
    const w = g * tau - k.upMps;
    const s = w > 1 ? 1 / w : 1;
    const varTau = s * s * (k.varUpM2 + 2 * tau * k.covUpM2PerS + tau * tau * k.varUpMps2);
    const varE = k.varEastM2 + 2 * tau * k.covEastM2PerS + tau * tau * k.varEastMps2;
    const varN = k.varNorthM2 + 2 * tau * k.covNorthM2PerS + tau * tau * k.varNorthMps2;
    const mE = k.eastM + k.eastMps * tau;
    const mN = k.northM + k.northMps * tau;
    const see = varE + k.eastMps * k.eastMps * varTau;
    const snn = varN + k.northMps * k.northMps * varTau;
    const sen = k.eastMps * k.northMps * varTau;
    this.kind[slot] = THREAT_IMPACT;
    this.impactAtUs[slot] = k.refTimeUs + tau * 1e6;
    this.ippEastM[slot] = mE;
    this.ippNorthM[slot] = mN;
    this.ippVarEastM2[slot] = see;
    this.ippCovM2[slot] = sen;
    this.ippVarNorthM2[slot] = snn;
    const base = slot * this.assetCount;
    const geo = this.geometry;
    const io = geo.io;
    let value = 0;
    let top = -1;
    let topValue = 0;
    io[IO_MEAN_E] = mE;
    io[IO_MEAN_N] = mN;
    io[IO_SEE] = see;
    io[IO_SEN] = sen;
    io[IO_SNN] = snn;
    geo.setEllipse();
    // The 5-sigma test of probabilityWithEllipse, on the same doubles: a pair it rejects has
    // probability 0 (already written by clear()) and adds 0 to the value. Only the assets whose
    // centre lies within the largest reach east or west can pass it (the window is wider than
    // that reach by far more than rounding); those that pass are then taken in index order.
    const pruneM = PRUNE_SIGMAS * geo.sigmaMaxM();
    const centerE = geo.centerEastM;
    const centerN = geo.centerNorthM;
    const radius = geo.radiusM;
    const assetValue = this.assetValue;
    const windowM = (this.maxRadiusM + pruneM) * (1 + 1e-9);
    const sorted = this.eastSorted;
    let from = 0;
    let to = this.assetCount;
    if (mE - windowM <= mE + windowM) {
      let hi = this.assetCount;
      while (from < hi) {
        const m = (from + hi) >> 1;
        if (sorted[m]! < mE - windowM) from = m + 1;
        else hi = m;
      }
      to = from;
      while (to < this.assetCount && sorted[to]! <= mE + windowM) to++;
    }
    const passed = this.passed;
    let count = 0;
    for (let j = from; j < to; j++) {
      const a = this.eastOrder[j]!;
      const dE = mE - centerE[a]!;
      const dN = mN - centerN[a]!;
      const reach = radius[a]! + pruneM;
      if (dE * dE + dN * dN > reach * reach) continue;
      let m = count++;
      while (m > 0 && passed[m - 1]! > a) {
        passed[m] = passed[m - 1]!;
        m--;
      }
      passed[m] = a;
    }
    for (let j = 0; j < count; j++) {
      const a = passed[j]!;
      geo.probabilityWithEllipse(a);
      const p = io[IO_P]!;
      this.probability[base + a] = p;
      const v = p * assetValue[a]!;
      value += v;
      if (v > topValue) {
        topValue = v;
        top = a;
      }
    }
    this.threatValue[slot] = value;
    this.topAsset[slot] = top;
  }

  private approach(slot: number, k: TrackEstimate): void {
    const geo = this.geometry;
    const io = geo.io;
    const centerE = geo.centerEastM;
    const centerN = geo.centerNorthM;
    const radius = geo.radiusM;
    // The estimate in locals: the loop below runs for every asset.
    const e0 = k.eastM;
    const n0 = k.northM;
    const ve = k.eastMps;
    const vn = k.northMps;
    const pEE = k.varEastM2;
    const pEV = 2 * k.covEastM2PerS;
    const pVE = k.varEastMps2;
    const pNN = k.varNorthM2;
    const pNV = 2 * k.covNorthM2PerS;
    const pVN = k.varNorthMps2;
    const v2 = ve * ve + vn * vn;
    const invV2 = v2 > 1e-6 ? 1 / v2 : 0;
    const base = slot * this.assetCount;
    let value = 0;
    let top = -1;
    let topValue = 0;
    let topTau = Infinity;
    // Rejected pairs keep the probability 0 that clear() wrote.
    for (let a = 0; a < this.assetCount; a++) {
      let tau = ((centerE[a]! - e0) * ve + (centerN[a]! - n0) * vn) * invV2;
      if (tau < 0) tau = 0;
      if (tau > MAX_APPROACH_S) continue;
      const mE = e0 + ve * tau;
      const mN = n0 + vn * tau;
      const see = pEE + tau * (pEV + tau * pVE);
      const snn = pNN + tau * (pNV + tau * pVN);
      // The floors of setEllipse and the 5-sigma test of probabilityWithEllipse, on the same
      // doubles: a pair rejected here would get probability 0 there. First without the square
      // root: (r + 5σ)² ≤ 2r² + 50σ², so a distance² beyond that (with a margin far above
      // rounding) is beyond the reach too.
      const floorEE = see >= 1 ? see : 1;
      const floorNN = snn >= 1 ? snn : 1;
      const var2 = floorEE >= floorNN ? floorEE : floorNN;
      const dEm = mE - centerE[a]!;
      const dNm = mN - centerN[a]!;
      const d2 = dEm * dEm + dNm * dNm;
      const r = radius[a]!;
      if (d2 > (2 * r * r + 2 * PRUNE_SIGMAS * PRUNE_SIGMAS * var2) * (1 + 1e-9)) continue;
      const reach = r + PRUNE_SIGMAS * Math.sqrt(var2);
      if (d2 > reach * reach) continue;
      io[IO_MEAN_E] = mE;
      io[IO_MEAN_N] = mN;
      io[IO_SEE] = see;
      io[IO_SEN] = 0;
      io[IO_SNN] = snn;
      geo.probabilityOf(a);
      let p = io[IO_P]!;
      if (p > 0) {
        const z = k.upM + k.upMps * tau;
        const invSz = 1 / Math.sqrt(Math.max(1, k.varUpM2 + 2 * tau * k.covUpM2PerS + tau * tau * k.varUpMps2));
        p *= normalCdfFast((this.maxAltitudeM[a]! - z) * invSz) - normalCdfFast((this.minAltitudeM[a]! - z) * invSz);
      }
      this.probability[base + a] = p;
      const v = p * this.assetValue[a]!;
      value += v;
      if (v > topValue) {
        topValue = v;
        top = a;
        topTau = tau;
        this.ippEastM[slot] = mE;
        this.ippNorthM[slot] = mN;
        this.ippVarEastM2[slot] = see;
        this.ippCovM2[slot] = 0;
        this.ippVarNorthM2[slot] = snn;
      }
    }
    this.kind[slot] = top >= 0 ? THREAT_APPROACH : THREAT_NONE;
    this.impactAtUs[slot] = top >= 0 ? k.refTimeUs + topTau * 1e6 : Infinity;
    this.threatValue[slot] = value;
    this.topAsset[slot] = top;
  }
}
