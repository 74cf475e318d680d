import type { ControlConfig } from './control-config.js';
import type { WeaponsControlStatus } from './control-inputs.js';
import type { EngagementActions } from './engagement-actions.js';
import type { EngagementTable } from './engagement-table.js';
import type { FireRefusalLedger } from './fire-refusal-ledger.js';
import { InterceptSolution, type InterceptSolver } from './intercept-solver.js';
import type { LauncherTable } from './launcher-table.js';
import { SolutionCache } from './solution-cache.js';
import { TargetKinematics } from './target-kinematics.js';
import { trackInterlock } from './track-interlock.js';
import type { TrackTable } from './track-table.js';
import { insideArea } from './defended-assets.js';
import type { ThreatEvaluator } from './threat-evaluator.js';
import { WeaponAssignment } from './weapon-assignment.js';
import { PartnerHoldTable } from './partner-holds.js';

/** Candidate threats per free launcher the expected-value doctrine considers in one tick. */
const CANDIDATES_PER_LAUNCHER = 4;
/** Marginal return of a round on a threat to no asset: engaged, but after every asset threat. */
const NO_ASSET_WEIGHT = 1e-9;

/**
 * Assigns free launchers to tracks, once per tick, after the threat order is sorted.
 *
 * Policy (greedy, deterministic): walk the tracks in threat order; skip those that may not be
 * engaged (track interlocks, not yet confirmed, already held by an engagement — one interceptor
 * per target unless a miss was assessed, never two launchers at once — or waiting out a FIRE of
 * unknown fate); for each, among the launchers that can take a FIRE (every launcher interlock
 * holds — including the back-off after a refused FIRE —, ARMED, nothing pending: one FIRE at a
 * time per launcher) and have not refused this track `maxFireRefusalsPerTarget` times, pick the one with the earliest
 * intercept (each launcher's own solution is its earliest feasible launch, see
 * intercept-solver.ts), solve that pair afresh, plan it and SLEW towards the aim. Stop when no
 * launcher is free.
 *
 * That is the `earliest-impact` doctrine (the baseline). The `expected-value` doctrine
 * (docs/decisions/0016-threat-evaluation-and-weapon-assignment.md) takes the same engageable tracks
 * in its threat order (threat value first), skips a track that already had
 * `doctrine.maxRoundsPerThreat` engagements and, while no more than `doctrine.reserveRounds`
 * rounds remain, every threat to no asset; it solves every (candidate, free launcher) pair and
 * assigns them with weapon-assignment.ts (greedy maximum marginal return + local search).
 * Under `doctrine.firing: salvo` a second pass of the same tick gives a threat that one live
 * engagement holds a second round when no second look fits (assignRounds, secondLookFits;
 * docs/decisions/0033-salvo-firing.md): two engagements on one track at once, still one FIRE at
 * a time per launcher. The `earliest-impact` baseline is always shoot-look-shoot.
 * Both doctrines refuse an aim point above a keep-out zone (intercept debris), and skip a track
 * a partner node holds (partner-holds.ts: joint deconfliction).
 *
 * Work bound: at most `solver.maxSolvesPerTick` candidate solves per tick (fresh cached
 * solutions are reused; pairs beyond the budget wait for the next tick), plus one solve per plan.
 * A planned engagement is not pre-empted by a later, more urgent track.
 */
export class EngagementPlanner {
  private readonly kin = new TargetKinematics();
  private readonly solution = new InterceptSolution();
  private readonly cache: SolutionCache;
  /** Candidate solves in the last tick (for metrics and tests). */
  lastSolves = 0;
  /** Solves left in this tick (`solver.maxSolvesPerTick` at the start of a plan). */
  private budget = 0;
  private readonly assignment: WeaponAssignment;
  private readonly candidateSlot: Int32Array;
  private readonly freeLauncher: Int32Array;
  /** Engagements planned per track slot over the track's life (`roundsTrackId` says whose). */
  private readonly roundsPlanned: Uint16Array;
  private readonly roundsTrackId: Float64Array;

  constructor(
    private readonly config: ControlConfig,
    private readonly tracks: TrackTable,
    private readonly launchers: LauncherTable,
    private readonly engagements: EngagementTable,
    private readonly actions: EngagementActions,
    private readonly solver: InterceptSolver,
    private readonly refusals: FireRefusalLedger,
    private readonly threats: ThreatEvaluator,
    private readonly partnerHolds: PartnerHoldTable = new PartnerHoldTable(),
  ) {
    this.cache = new SolutionCache(config.tracking.maxTracks, config.launchers.length, config.solver.maxSolutionAgeUs);
    const nl = config.launchers.length;
    this.assignment = new WeaponAssignment(nl * CANDIDATES_PER_LAUNCHER, nl);
    this.candidateSlot = new Int32Array(nl * CANDIDATES_PER_LAUNCHER);
    this.freeLauncher = new Int32Array(nl);
    this.roundsPlanned = new Uint16Array(config.tracking.maxTracks);
    this.roundsTrackId = new Float64Array(config.tracking.maxTracks);
  }

  plan(nowUs: number, wcs: WeaponsControlStatus): void {
    this.lastSolves = 0;
    if (wcs === 'hold') return;
    if (this.config.doctrine.assignment === 'expected-value') {
      this.planExpectedValue(nowUs, wcs);
      return;
    }
    const launchers = this.launchers.records;
    let free = 0;
    for (let l = 0; l < launchers.length; l++) if (launchers[l]!.canTakeFire) free++;
    // A full engagement table (every record live or awaiting assessment) plans nothing.
    if (free === 0 || !this.engagements.hasFree()) return;
    const t = this.tracks;
    const confirmHits = this.config.tracking.confirmHits;
    const gravity = this.config.tracking.gravityMps2;
    const cache = this.cache;
    const s = this.solution;
    let budget = this.config.solver.maxSolvesPerTick;
    for (let i = 0; i < t.activeCount && free > 0; i++) {
      const slot = t.active[i]!;
      if (t.engagementSlot[slot]! >= 0 || t.hits[slot]! < confirmHits || t.reengageNotBeforeUs[slot]! > nowUs) continue;
      if (trackInterlock(t, slot, wcs, this.config, true) !== null) continue;
      if (this.partnerHolds.held(t.trackId[slot]!, nowUs)) continue;
      const trackId = t.trackId[slot]!;
      const version = t.version[slot]!;
      let kinLoaded = false;
      let best = -1;
      let bestInterceptUs = Infinity;
      for (let l = 0; l < launchers.length; l++) {
        const launcher = launchers[l]!;
        if (!launcher.canTakeFire || this.refusals.barred(slot, trackId, l)) continue;
        const c = cache.index(slot, l);
        if (!cache.isFresh(c, trackId, version, nowUs)) {
          if (budget <= 0) continue;
          budget--;
          this.lastSolves++;
          if (!kinLoaded) {
            this.kin.loadTrack(t, slot, gravity);
            kinLoaded = true;
          }
          const ok = this.solver.solve(this.kin, launcher.config, launcher, nowUs, s);
          cache.store(c, trackId, version, nowUs, ok, ok ? s.interceptAtHostUs : 0);
        }
        const at = cache.interceptAt(c);
        if (at < bestInterceptUs) {
          bestInterceptUs = at;
          best = l;
        }
      }
      if (best < 0) continue;
      const planned = this.commit(slot, best, nowUs);
      if (planned < 0) return; // engagement table full: plan nothing more this tick
      if (planned > 0) free--;
    }
  }

  /**
   * Solves (track slot, launcher) afresh and plans it: engagement record, SLEW, `planned`.
   * @returns 1 planned, 0 not feasible now (or aim above a keep-out zone), -1 engagement table full.
   */
  private commit(slot: number, l: number, nowUs: number): number {
    const t = this.tracks;
    const trackId = t.trackId[slot]!;
    const version = t.version[slot]!;
    const launcher = this.launchers.records[l]!;
    const s = this.solution;
    this.kin.loadTrack(t, slot, this.config.tracking.gravityMps2);
    if (!this.solver.solve(this.kin, launcher.config, launcher, nowUs, s) || this.inKeepOut(s.aimEastM, s.aimNorthM)) {
      this.cache.store(this.cache.index(slot, l), trackId, version, nowUs, false, 0);
      return 0;
    }
    const e = this.engagements.allocate();
    if (e < 0) return -1;
    const r = this.engagements.records[e]!;
    r.trackId = trackId;
    r.trackSlot = slot;
    r.launcherIndex = l;
    r.launchAtHostUs = s.launchAtHostUs;
    r.interceptAtHostUs = s.interceptAtHostUs;
    r.aimEastM = s.aimEastM;
    r.aimNorthM = s.aimNorthM;
    r.aimUpM = s.aimUpM;
    r.trackVersion = version;
    launcher.pendingSlot = e;
    if (t.engagementSlot[slot]! < 0) t.engagementSlot[slot] = e;
    else t.salvoEngagementSlot[slot] = e;
    if (this.roundsTrackId[slot] !== trackId) {
      this.roundsTrackId[slot] = trackId;
      this.roundsPlanned[slot] = 0;
    }
    if (this.roundsPlanned[slot]! < 0xffff) this.roundsPlanned[slot]!++;
    const slewId = this.actions.slew(r, s.azimuthDeg, s.elevationDeg);
    this.actions.announce(r, 'planned', slewId);
    return 1;
  }

  /** Whether a ground point is inside any asset's keep-out zone. */
  private inKeepOut(eastM: number, northM: number): boolean {
    const assets = this.config.defendedAssets;
    for (let a = 0; a < assets.length; a++) {
      const zones = assets[a]!.keepOut;
      for (let z = 0; z < zones.length; z++) if (insideArea(zones[z]!, eastM, northM)) return true;
    }
    return false;
  }

  /** Engagements planned against the track in `slot` so far. */
  roundsAgainst(slot: number): number {
    return this.roundsTrackId[slot] === this.tracks.trackId[slot] ? this.roundsPlanned[slot]! : 0;
  }

  private planExpectedValue(nowUs: number, wcs: WeaponsControlStatus): void {
    this.budget = this.config.solver.maxSolvesPerTick;
    this.assignRounds(nowUs, wcs, false);
    if (this.config.doctrine.firing === 'salvo') this.assignRounds(nowUs, wcs, true);
  }

  /**
   * One assignment pass. First rounds (`salvo` false): the tracks no engagement holds. Salvo
   * rounds (`salvo` true, after the first rounds of the tick): tracks that one live engagement
   * holds, worth an asset (or forced by an operator), below `maxRoundsPerThreat` even when
   * forced, while more than `reserveRounds` rounds remain, and only when no second look fits
   * after that engagement's intercept (secondLookFits). The marginal return of a second round
   * is value × p × (1 − p).
   */
  private assignRounds(nowUs: number, wcs: WeaponsControlStatus, salvo: boolean): void {
    const launchers = this.launchers.records;
    let free = 0;
    let roundsLeft = 0;
    for (let l = 0; l < launchers.length; l++) {
      // A planned or sent FIRE has spent its round already.
      roundsLeft += launchers[l]!.roundsAvailable - (launchers[l]!.pendingSlot >= 0 ? 1 : 0);
      if (launchers[l]!.canTakeFire) this.freeLauncher[free++] = l;
    }
    if (free === 0 || !this.engagements.hasFree()) return;
    const t = this.tracks;
    const doctrine = this.config.doctrine;
    if (salvo && roundsLeft <= doctrine.reserveRounds) return;
    const confirmHits = this.config.tracking.confirmHits;
    const gravity = this.config.tracking.gravityMps2;
    const assessUs = this.config.engagement.killAssessmentDelayUs;
    const pk = doctrine.killProbability;
    const cache = this.cache;
    const s = this.solution;
    const w = this.assignment;
    const maxL = w.maxLaunchers;
    const maxCandidates = free * CANDIDATES_PER_LAUNCHER;
    const holdForAssets = roundsLeft <= doctrine.reserveRounds;
    let n = 0;
    for (let i = 0; i < t.activeCount && n < maxCandidates; i++) {
      const slot = t.active[i]!;
      const held = t.engagementSlot[slot]!;
      if (salvo ? held < 0 || t.salvoEngagementSlot[slot]! >= 0 : held >= 0) continue;
      if (t.hits[slot]! < confirmHits || t.reengageNotBeforeUs[slot]! > nowUs) continue;
      if (trackInterlock(t, slot, wcs, this.config, true) !== null) continue;
      if (this.partnerHolds.held(t.trackId[slot]!, nowUs)) continue;
      const value = this.threats.threatValue[slot]!;
      const forced = t.priority[slot] !== 0;
      if (salvo) {
        const first = this.engagements.records[held]!;
        if (first.state !== 'planned' && first.state !== 'fire-sent' && first.state !== 'launched') continue;
        if (this.roundsAgainst(slot) >= doctrine.maxRoundsPerThreat || (value === 0 && !forced)) continue;
        if (this.secondLookFits(slot, first.interceptAtHostUs + assessUs)) continue;
      } else if (!forced && (this.roundsAgainst(slot) >= doctrine.maxRoundsPerThreat || (value === 0 && holdForAssets)))
        // Operator-forced tracks (engage-track) are never held back.
        continue;
      const trackId = t.trackId[slot]!;
      const version = t.version[slot]!;
      let kinLoaded = false;
      let feasible = false;
      for (let k = 0; k < free; k++) {
        const l = this.freeLauncher[k]!;
        let at = Infinity;
        if (!this.refusals.barred(slot, trackId, l)) {
          const c = cache.index(slot, l);
          if (!cache.isFresh(c, trackId, version, nowUs) && this.budget > 0) {
            this.budget--;
            this.lastSolves++;
            if (!kinLoaded) {
              this.kin.loadTrack(t, slot, gravity);
              kinLoaded = true;
            }
            const ok = this.solver.solve(this.kin, launchers[l]!.config, launchers[l]!, nowUs, s);
            cache.store(c, trackId, version, nowUs, ok, ok ? s.interceptAtHostUs : 0);
          }
          if (cache.isFresh(c, trackId, version, nowUs)) at = cache.interceptAt(c);
        }
        w.interceptAtUs[n * maxL + k] = at;
        if (at < Infinity) feasible = true;
      }
      if (!feasible) continue;
      // Operator priority outranks any value; threats to no asset come last.
      w.weight[n] = (forced ? 1e12 : 0) + value * pk * (salvo ? 1 - pk : 1) + NO_ASSET_WEIGHT;
      this.candidateSlot[n++] = slot;
    }
    if (n === 0) return;
    w.threats = n;
    w.launchers = free;
    w.solve(doctrine.maxLocalSearchMoves);
    for (let c = 0; c < n; c++) {
      const k = w.launcherOf[c]!;
      if (k < 0) continue;
      if (this.commit(this.candidateSlot[c]!, this.freeLauncher[k]!, nowUs) < 0) return;
    }
  }

  /**
   * Whether a second look fits: some launcher with a round to spare could still intercept the
   * track in `slot` with a launch after `lookAtUs` (the first round's intercept plus the kill
   * assessment delay: when a miss can first be assessed) and an intercept no later than the
   * threat's last chance — its predicted impact, or its closest approach to the asset it
   * threatens most (threat-evaluator.ts `impactAtUs`; no bound when it has none). Solved from
   * where each launcher points now, under every limit of the intercept solver (command lead,
   * slew, envelope, planning horizon, minimum intercept altitude); the solver's earliest launch
   * is also its earliest intercept when the interceptor is the faster. One solve per launcher
   * tried, out of the tick's solve budget; when the budget runs out before a look is found the
   * answer is true (no salvo: the conservative answer).
   */
  secondLookFits(slot: number, lookAtUs: number): boolean {
    const launchers = this.launchers.records;
    const lastChanceUs = this.threats.impactAtUs[slot]!;
    const s = this.solution;
    this.kin.loadTrack(this.tracks, slot, this.config.tracking.gravityMps2);
    for (let l = 0; l < launchers.length; l++) {
      const launcher = launchers[l]!;
      if (launcher.roundsAvailable - (launcher.pendingSlot >= 0 ? 1 : 0) <= 0) continue;
      if (this.budget <= 0) return true;
      this.budget--;
      this.lastSolves++;
      if (this.solver.solve(this.kin, launcher.config, launcher, lookAtUs, s) && s.interceptAtHostUs <= lastChanceUs)
        return true;
    }
    return false;
  }
}
