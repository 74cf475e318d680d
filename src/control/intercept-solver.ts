import type { LauncherConfig } from './control-config.js';
import { azimuthDeg, elevationDeg, slewTimeS } from './enu.js';
import type { TargetKinematics } from './target-kinematics.js';

/** Result of one solve, written in place (no allocation). Valid when `feasible`. */
export class InterceptSolution {
  feasible = false;
  /** Planned launch instant, host µs, integer. */
  launchAtHostUs = 0;
  /** Instant the interceptor reaches the aim point (launch + delay + range / speed), host µs. */
  interceptAtHostUs = 0;
  aimEastM = 0;
  aimNorthM = 0;
  aimUpM = 0;
  /** Slant range launcher → aim point. */
  rangeM = 0;
  /** Pointing launcher → aim point. */
  azimuthDeg = 0;
  elevationDeg = 0;
  /** Target-model evaluations spent (bounded by gridSteps + 2·refineIterations + 2). */
  evaluations = 0;
}

/** Where a launcher points now (a LauncherRecord, or any object with these fields). */
export interface LauncherPointing {
  readonly azimuthDeg: number;
  readonly elevationDeg: number;
}

/** Timing limits of a solve. */
export interface InterceptLimits {
  /** Launch no earlier than now + this (FIRE must reach the launcher first). */
  readonly commandLeadUs: number;
  /** Launch no later than now + this. */
  readonly planningHorizonUs: number;
  /** Aim point altitude at least this (the ground). */
  readonly minInterceptAltitudeM: number;
  readonly gridSteps: number;
  readonly refineIterations: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Intercept timing for one target and one launcher.
 *
 * The interceptor leaves `launchDelay` after the launch instant tL and flies straight at speed v
 * to the aim point P = target(tI), so |P − L| = v·(tI − tL − delay). The solver is parametrised
 * by the intercept instant tI: each tI gives exactly one launch instant
 * tL(tI) = tI − delay − |target(tI) − L| / v, so the meeting condition holds by construction and
 * no root of it has to be found. A candidate tI is feasible when the aim point is inside the
 * envelope (min/max slant range, max altitude, above `minInterceptAltitudeM`) and
 * now + max(commandLead, slew time to the aim direction) <= tL <= now + planningHorizon.
 *
 * Policy: the **earliest feasible launch** (min tL). When the interceptor is faster than the
 * target, tL(tI) increases with tI and that is also the earliest intercept.
 *
 * Method (deterministic, bounded): sample tI on a uniform grid of `gridSteps` points over
 * [now + lead + delay + minRange/v, now + horizon + delay + maxRange/v]; take the feasible sample
 * with the smallest tL; if the sample before it is infeasible, bisect the feasibility boundary
 * between them (`refineIterations` halvings; the common case, where the launch is limited by the
 * command lead, the envelope edge or the slew), otherwise golden-section search for the minimum
 * of tL around it (a target faster than the interceptor). A feasible window narrower than the
 * grid spacing can be missed; the spacing is (horizon + maxRange/v − minRange/v)/(gridSteps − 1).
 */
export class InterceptSolver {
  private kin!: TargetKinematics;
  private launcher!: LauncherConfig;
  private nowUs = 0;
  private leadS = 0;
  private horizonS = 0;
  private delayS = 0;
  private minAltM = 0;
  private curAzDeg = 0;
  private curElDeg = 0;
  private evaluations = 0;
  // Last evaluation's aim point and range.
  private pE = 0;
  private pN = 0;
  private pU = 0;
  private rM = 0;

  constructor(private readonly limits: InterceptLimits) {}

  /**
   * Solves for `kin` from `launcher`, currently pointing at `pointing`, at host time `nowUs`.
   * Writes `out` and returns `out.feasible`. (Pointing comes as an object, not two numbers: V8
   * boxes double arguments of calls it does not inline.)
   */
  solve(
    kin: TargetKinematics,
    launcher: LauncherConfig,
    pointing: LauncherPointing,
    nowUs: number,
    out: InterceptSolution,
  ): boolean {
    const lim = this.limits;
    this.kin = kin;
    this.launcher = launcher;
    this.nowUs = nowUs;
    this.leadS = lim.commandLeadUs / 1e6;
    this.horizonS = lim.planningHorizonUs / 1e6;
    this.delayS = launcher.flyout.launchDelayMs / 1e3;
    this.minAltM = lim.minInterceptAltitudeM;
    this.curAzDeg = pointing.azimuthDeg;
    this.curElDeg = pointing.elevationDeg;
    this.evaluations = 0;
    out.feasible = false;

    const v = launcher.flyout.speedMps;
    const sMin = this.leadS + this.delayS + launcher.envelope.minRangeM / v;
    const sMax = this.horizonS + this.delayS + launcher.envelope.maxRangeM / v;
    const n = lim.gridSteps;
    const h = (sMax - sMin) / (n - 1);
    let bestK = -1;
    let bestTl = Infinity;
    let prevFeasible = false;
    let bestPrevFeasible = false;
    for (let k = 0; k < n; k++) {
      const tl = this.launchTimeS(sMin + k * h);
      const feasible = tl === tl; // not NaN
      if (feasible && tl < bestTl) {
        bestTl = tl;
        bestK = k;
        bestPrevFeasible = prevFeasible;
      }
      prevFeasible = feasible;
    }
    if (bestK < 0) {
      out.evaluations = this.evaluations;
      return false;
    }
    let bestS = sMin + bestK * h;
    if (bestK > 0 && !bestPrevFeasible) {
      // Bisect the feasibility boundary: lo infeasible, hi feasible.
      let lo = bestS - h;
      let hi = bestS;
      for (let i = 0; i < lim.refineIterations; i++) {
        const mid = 0.5 * (lo + hi);
        const t = this.launchTimeS(mid);
        if (t === t) hi = mid;
        else lo = mid;
      }
      const tl = this.launchTimeS(hi);
      if (tl <= bestTl) {
        bestTl = tl;
        bestS = hi;
      }
    } else if (bestK > 0) {
      // Interior minimum of tL (target faster than the interceptor): golden section.
      let a = bestS - h;
      let b = Math.min(bestS + h, sMax);
      let c = b - GOLDEN * (b - a);
      let d = a + GOLDEN * (b - a);
      let fc = this.launchTimeOrInf(c);
      let fd = this.launchTimeOrInf(d);
      for (let i = 0; i < lim.refineIterations; i++) {
        if (fc < fd) {
          b = d;
          d = c;
          fd = fc;
          c = b - GOLDEN * (b - a);
          fc = this.launchTimeOrInf(c);
        } else {
          a = c;
          c = d;
          fc = fd;
          d = a + GOLDEN * (b - a);
          fd = this.launchTimeOrInf(d);
        }
      }
      const s = fc < fd ? c : d;
      const tl = this.launchTimeOrInf(s);
      if (tl < bestTl) {
        bestTl = tl;
        bestS = s;
      }
    }
    // Re-evaluate the chosen point to load its aim point.
    const tl = this.launchTimeS(bestS);
    out.evaluations = this.evaluations;
    if (tl !== tl) return false;
    // Integer µs, rounded up so the launch never comes before the command lead allows.
    const launchAtHostUs = Math.ceil(nowUs + tl * 1e6);
    out.feasible = true;
    out.launchAtHostUs = launchAtHostUs;
    out.interceptAtHostUs = Math.round(launchAtHostUs + (this.delayS + this.rM / v) * 1e6);
    out.aimEastM = this.pE;
    out.aimNorthM = this.pN;
    out.aimUpM = this.pU;
    out.rangeM = this.rM;
    const l = launcher.position;
    out.azimuthDeg = azimuthDeg(this.pE - l.eastM, this.pN - l.northM);
    out.elevationDeg = elevationDeg(this.pE - l.eastM, this.pN - l.northM, this.pU - l.upM);
    return true;
  }

  private launchTimeOrInf(s: number): number {
    const tl = this.launchTimeS(s);
    return tl === tl ? tl : Infinity;
  }

  /**
   * Launch time (s after now) for an intercept `s` seconds after now, or NaN when that intercept
   * is infeasible. Leaves the aim point in pE/pN/pU and its range in rM.
   */
  private launchTimeS(s: number): number {
    this.evaluations++;
    const kin = this.kin;
    const launcher = this.launcher;
    kin.predict(this.nowUs + s * 1e6);
    const pE = kin.atEastM;
    const pN = kin.atNorthM;
    const pU = kin.atUpM;
    this.pE = pE;
    this.pN = pN;
    this.pU = pU;
    const env = launcher.envelope;
    if (pU > env.maxAltitudeM || pU < this.minAltM) return NaN;
    const l = launcher.position;
    const dE = pE - l.eastM;
    const dN = pN - l.northM;
    const dU = pU - l.upM;
    const r = Math.sqrt(dE * dE + dN * dN + dU * dU);
    this.rM = r;
    if (r < env.minRangeM || r > env.maxRangeM) return NaN;
    const tl = s - this.delayS - r / launcher.flyout.speedMps;
    if (tl < this.leadS || tl > this.horizonS) return NaN;
    const slew = slewTimeS(
      this.curAzDeg,
      this.curElDeg,
      azimuthDeg(dE, dN),
      elevationDeg(dE, dN, dU),
      launcher.slewRateDegPerS,
    );
    return tl < slew ? NaN : tl;
  }
}
