import type { BenchConfig, LauncherModel } from '../config/bench-config-schema.js';
import { type ControlConfig, makeControlConfig } from '../control/index.js';

/** A launcher as the host models it, with its round count. */
export interface HostLauncher {
  readonly id: string;
  readonly model: LauncherModel;
  readonly rounds: number;
}

/** The control core's config from the bench config's control section and the device models. */
export function controlConfigFor(
  config: BenchConfig,
  radarIds: readonly string[],
  launchers: readonly HostLauncher[],
  commandIds?: { readonly coreFirstId: number; readonly coreLastId: number },
): ControlConfig {
  return makeControlConfig({
    tickPeriodUs: Math.round(1_000_000 / config.control.tickHz),
    radars: radarIds.map((id) => ({ id })),
    launchers: launchers.map((l) => ({
      id: l.id,
      position: l.model.position,
      flyout: l.model.flyout,
      envelope: l.model.envelope,
      slewRateDegPerS: l.model.slewRateDegPerS,
      rounds: l.rounds,
    })),
    engagement: {
      commandLeadUs: config.control.commandLeadMs * 1000,
      replanToleranceM: config.control.replanToleranceM,
      syncBoundUs: config.control.syncBoundUs,
      ...(commandIds === undefined
        ? {}
        : { firstCommandId: commandIds.coreFirstId, lastCommandId: commandIds.coreLastId }),
    },
    tracking: { dropAfterUs: config.control.trackStaleMs * 1000 },
  });
}
