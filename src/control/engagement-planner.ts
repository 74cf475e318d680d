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

  constructor(
    private readonly config: ControlConfig,
    private readonly tracks: TrackTable,
    private readonly launchers: LauncherTable,
    private readonly engagements: EngagementTable,
    private readonly actions: EngagementActions,
    private readonly solver: InterceptSolver,
    private readonly refusals: FireRefusalLedger,
  ) {
    this.cache = new SolutionCache(config.tracking.maxTracks, config.launchers.length, config.solver.maxSolutionAgeUs);
  }

  plan(nowUs: number, wcs: WeaponsControlStatus): void {
    this.lastSolves = 0;
    if (wcs === 'hold') return;
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
      const launcher = launchers[best]!;
      this.kin.loadTrack(t, slot, gravity);
      if (!this.solver.solve(this.kin, launcher.config, launcher, nowUs, s)) {
        cache.store(cache.index(slot, best), trackId, version, nowUs, false, 0);
        continue;
      }
      const e = this.engagements.allocate();
      if (e < 0) return; // engagement table full: plan nothing more this tick
      const r = this.engagements.records[e]!;
      r.trackId = trackId;
      r.trackSlot = slot;
      r.launcherIndex = best;
      r.launchAtHostUs = s.launchAtHostUs;
      r.interceptAtHostUs = s.interceptAtHostUs;
      r.aimEastM = s.aimEastM;
      r.aimNorthM = s.aimNorthM;
      r.aimUpM = s.aimUpM;
      r.trackVersion = version;
      launcher.pendingSlot = e;
      t.engagementSlot[slot] = e;
      free--;
      const slewId = this.actions.slew(r, s.azimuthDeg, s.elevationDeg);
      this.actions.announce(r, 'planned', slewId);
    }
  }
}
