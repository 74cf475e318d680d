import type { BenchConfig, LauncherModel } from '../config/bench-config-schema.js';
import type { DefendedAssetInput, DoctrineInput } from '../config/defended-asset-schema.js';
import {
  type ControlConfig,
  DEFAULT_ENGAGEMENT_CONFIG,
  type DoctrineConfig,
  type EngagementConfig,
  type LauncherConfig,
  launchErrorBudgetUs,
  makeControlConfig,
} from '../control/index.js';
import { defendedAssetsFor, doctrineFor } from './defended-assets-for.js';

/** A launcher as the host models it, with its round count. */
export interface HostLauncher {
  readonly id: string;
  readonly model: LauncherModel;
  readonly rounds: number;
}

/** What a scenario adds to the core config: its assets and doctrine, and a doctrine override. */
export interface ScenarioControlParts {
  readonly defendedAssets?: readonly DefendedAssetInput[] | undefined;
  readonly doctrine?: DoctrineInput | undefined;
  /** `run --doctrine`: replaces the assignment doctrine of config and scenario. */
  readonly assignmentOverride?: DoctrineConfig['assignment'] | undefined;
  /** `run --doctrine salvo|shoot-look-shoot`: replaces the firing doctrine of config and scenario. */
  readonly firingOverride?: DoctrineConfig['firing'] | undefined;
}

/** The control core's config from the bench config's control section and the device models. */
export function controlConfigFor(
  config: BenchConfig,
  radarIds: readonly string[],
  launchers: readonly HostLauncher[],
  commandIds?: { readonly coreFirstId: number; readonly coreLastId: number },
  scenario: ScenarioControlParts = {},
): ControlConfig {
  return makeControlConfig({
    defendedAssets: defendedAssetsFor(config.defendedAssets, scenario.defendedAssets),
    doctrine: doctrineFor(
      config.control.doctrine,
      scenario.doctrine,
      scenario.assignmentOverride,
      scenario.firingOverride,
    ),
    tickPeriodUs: Math.round(1_000_000 / config.control.tickHz),
    radars: radarIds.map((id) => ({ id })),
    launchers: launchers.map((l) => launcherConfigOf(l)),
    engagement: {
      ...engagementConfigOf(config),
      ...(commandIds === undefined
        ? {}
        : { firstCommandId: commandIds.coreFirstId, lastCommandId: commandIds.coreLastId }),
    },
    tracking: { dropAfterUs: config.control.trackStaleMs * 1000, filter: config.control.tracker },
  });
}

/** The core's engagement settings a bench config sets. */
function engagementConfigOf(config: BenchConfig): Partial<EngagementConfig> {
  return {
    commandLeadUs: config.control.commandLeadMs * 1000,
    replanToleranceM: config.control.replanToleranceM,
    syncBoundUs: config.control.syncBoundUs ?? null,
    launchErrorMargin: config.control.launchErrorMargin,
    maxFireRefusalsPerTarget: config.control.maxFireRefusalsPerTarget,
  };
}

function launcherConfigOf(l: HostLauncher): LauncherConfig {
  return {
    id: l.id,
    position: l.model.position,
    flyout: l.model.flyout,
    envelope: l.model.envelope,
    slewRateDegPerS: l.model.slewRateDegPerS,
    rounds: l.rounds,
    ...(l.model.lethalRadiusM === undefined ? {} : { lethalRadiusM: l.model.lethalRadiusM }),
  };
}

/**
 * The launch-time error budget of one launcher, us: the time-sync uncertainty above which the
 * core withholds its FIRE, given to its driver too so that both refuse at the same bound.
 */
export function launcherSyncBudgetUs(config: BenchConfig, launcher: HostLauncher): number {
  return launchErrorBudgetUs(
    { ...DEFAULT_ENGAGEMENT_CONFIG, ...engagementConfigOf(config) },
    launcherConfigOf(launcher),
  );
}
