import type { EngagementConfig, LauncherConfig } from './control-config.js';

/**
 * The launch-time error a launcher's engagements can tolerate, us: the time-sync uncertainty
 * above which its FIRE is withheld (docs/decisions/0008-launch-error-budget.md).
 *
 * A FIRE executed δt away from its planned instant moves the interceptor along its straight
 * path by v_i·δt at the planned intercept instant, while the target is where planned. The
 * closest approach then misses by the part of that displacement across the relative velocity
 * (v_t − v_i), which is at most min(|v_i|, |v_t|)·δt ≤ v_i·δt — whatever the target. So
 * δt ≤ margin · lethalRadius / v_i keeps the miss this error causes within `margin` of the
 * lethal radius for every target. E.g. 0.1 · 50 m / 1500 m/s = 3,333 us.
 *
 * A launcher with no declared lethal radius gets `defaultSyncBudgetUs`. `syncBoundUs`, when
 * set, caps either. Pure; the result is finite and > 0 for a validated config.
 */
export function launchErrorBudgetUs(engagement: EngagementConfig, launcher: LauncherConfig): number {
  const derivedUs =
    launcher.lethalRadiusM === undefined
      ? engagement.defaultSyncBudgetUs
      : ((engagement.launchErrorMargin * launcher.lethalRadiusM) / launcher.flyout.speedMps) * 1e6;
  return engagement.syncBoundUs === null ? derivedUs : Math.min(derivedUs, engagement.syncBoundUs);
}
