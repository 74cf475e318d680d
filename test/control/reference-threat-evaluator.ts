/**
 * The threat evaluator as it was before its per-pair pre-filter (docs/decisions/0041): every
 * track–asset pair goes through AssetProbability, which alone decides which pairs are out of
 * reach. Kept, for the tests only, as the reference the evaluator must match double for double.
 * Its formulas follow the evaluator's (decision 0046 changed the closest-approach arithmetic and
 * the altitude CDF): only the pre-filters are left out.
 */
import {
  AssetProbability,
  IO_MEAN_E,
  IO_MEAN_N,
  IO_P,
  IO_SEE,
  IO_SEN,
  IO_SNN,
} from '../../src/control/asset-probability.js';
import { normalCdfFast } from '../../src/control/normal-quadrature.js';
import type { ControlConfig } from '../../src/control/control-config.js';
import { assetsWithDefendedPoints, type DefendedAssetConfig } from '../../src/control/defended-assets.js';
import { TrackEstimate } from '../../src/control/track-estimate.js';
import { IFF_FRIENDLY, LIFECYCLE_ACTIVE, type TrackTable } from '../../src/control/track-table.js';

const THREAT_NONE = 0;
const THREAT_IMPACT = 1;
const THREAT_APPROACH = 2;

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
 */
export class ReferenceThreatEvaluator {
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
    for (let a = 0; a < this.assetCount; a++) this.probability[base + a] = 0;
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
    for (let a = 0; a < this.assetCount; a++) {
      geo.probabilityWithEllipse(a);
      const p = io[IO_P]!;
      this.probability[base + a] = p;
      const v = p * this.assets[a]!.value;
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
    const v2 = k.eastMps * k.eastMps + k.northMps * k.northMps;
    const invV2 = v2 > 1e-6 ? 1 / v2 : 0;
    const base = slot * this.assetCount;
    let value = 0;
    let top = -1;
    let topValue = 0;
    let topTau = Infinity;
    for (let a = 0; a < this.assetCount; a++) {
      const dE = geo.centerEastM[a]! - k.eastM;
      const dN = geo.centerNorthM[a]! - k.northM;
      let tau = (dE * k.eastMps + dN * k.northMps) * invV2;
      if (tau < 0) tau = 0;
      if (tau > MAX_APPROACH_S) {
        this.probability[base + a] = 0;
        continue;
      }
      const mE = k.eastM + k.eastMps * tau;
      const mN = k.northM + k.northMps * tau;
      const see = k.varEastM2 + tau * (2 * k.covEastM2PerS + tau * k.varEastMps2);
      const snn = k.varNorthM2 + tau * (2 * k.covNorthM2PerS + tau * k.varNorthMps2);
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
        const asset = this.assets[a]!;
        p *= normalCdfFast((asset.maxAltitudeM - z) * invSz) - normalCdfFast((asset.minAltitudeM - z) * invSz);
      }
      this.probability[base + a] = p;
      const v = p * this.assets[a]!.value;
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
