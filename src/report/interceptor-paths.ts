import type { TruthRecord } from '../truth/truth-record.js';
import type { RunDigest } from './digest-run.js';
import type { LauncherSite } from './site-layout.js';
import type { TargetTrack } from './target-tracks.js';
import { trackPositionAt } from './track-position-at.js';

/** How an interceptor's drawn path ends. */
export type InterceptorPathEnd = 'kill' | 'miss' | 'aim';

/** A straight interceptor path on the plan view: launcher → where it ended. */
export interface InterceptorPath {
  readonly commandId: number;
  readonly launcherId: string;
  readonly fromEastM: number;
  readonly fromNorthM: number;
  readonly toEastM: number;
  readonly toNorthM: number;
  readonly toUpM: number;
  /**
   * `kill`: ends at the kill position; `miss`: at the target's position at closest approach;
   * `aim`: at the FIRE's aim point (no truth of the outcome).
   */
  readonly end: InterceptorPathEnd;
  readonly targetId: string | null;
  readonly missM: number | null;
  /** When the path ends (kill, closest approach, or planned intercept), host µs. */
  readonly endUs: number;
}

/**
 * Interceptor paths. With truth: one per truth launch, to the kill position, else to the nearest
 * target's interpolated position at closest approach, else to the aim point. Without truth: one
 * per FIRE whose engagement reports a launch, to its aim point.
 */
export function interceptorPaths(
  digest: RunDigest,
  launchers: readonly LauncherSite[],
  truth: readonly TruthRecord[] | undefined,
  tracks: readonly TargetTrack[],
  epochHostUs = 0,
): InterceptorPath[] {
  const launcherById = new Map(launchers.map((l) => [l.id, l]));
  const paths: InterceptorPath[] = [];
  if (truth === undefined) {
    for (const events of digest.engagements.values()) {
      const launched = events.find((e) => e.transition === 'launched');
      if (launched === undefined || launched.fireCommandId === null) continue;
      const site = launcherById.get(launched.launcherId);
      if (site === undefined) continue;
      paths.push({
        commandId: launched.fireCommandId,
        launcherId: launched.launcherId,
        fromEastM: site.eastM,
        fromNorthM: site.northM,
        toEastM: launched.aimEastM,
        toNorthM: launched.aimNorthM,
        toUpM: launched.aimUpM,
        end: 'aim',
        targetId: null,
        missM: null,
        endUs: launched.interceptAtHostUs,
      });
    }
    return paths.sort((a, b) => a.commandId - b.commandId);
  }
  const kills = new Map<number, Extract<TruthRecord, { kind: 'kill' }>>();
  const approaches = new Map<number, Extract<TruthRecord, { kind: 'closest-approach' }>>();
  for (const record of truth) {
    if (record.kind === 'kill') kills.set(record.commandId, record);
    else if (record.kind === 'closest-approach') approaches.set(record.commandId, record);
  }
  const trackById = new Map(tracks.map((t) => [t.targetId, t]));
  for (const record of truth) {
    if (record.kind !== 'launch') continue;
    const site = launcherById.get(record.launcherId);
    if (site === undefined) continue;
    const base = {
      commandId: record.commandId,
      launcherId: record.launcherId,
      fromEastM: site.eastM,
      fromNorthM: site.northM,
    };
    const kill = kills.get(record.commandId);
    const approach = approaches.get(record.commandId);
    if (kill !== undefined) {
      paths.push({
        ...base,
        toEastM: kill.position.eastM,
        toNorthM: kill.position.northM,
        toUpM: kill.position.upM,
        end: 'kill',
        targetId: kill.targetId,
        missM: kill.missM,
        endUs: kill.tUs + epochHostUs,
      });
      continue;
    }
    const target = approach?.targetId != null ? trackById.get(approach.targetId) : undefined;
    const at =
      approach?.atUs != null && target !== undefined
        ? trackPositionAt(target.samples, approach.atUs + epochHostUs)
        : null;
    if (approach !== undefined && at !== null) {
      paths.push({
        ...base,
        toEastM: at.eastM,
        toNorthM: at.northM,
        toUpM: at.upM,
        end: 'miss',
        targetId: approach.targetId,
        missM: approach.missM,
        endUs: at.tUs,
      });
      continue;
    }
    const fire = digest.fires.get(record.commandId);
    paths.push({
      ...base,
      toEastM: record.aim.eastM,
      toNorthM: record.aim.northM,
      toUpM: record.aim.upM,
      end: 'aim',
      targetId: approach?.targetId ?? null,
      missM: approach?.missM ?? null,
      endUs: fire?.command.interceptAtHostUs ?? record.tUs + epochHostUs,
    });
  }
  return paths;
}
