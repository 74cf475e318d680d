import type { UnitFields } from '../common/config-units.js';
import { SHARING_UNIT_FIELDS } from '../sharing/sharing-config.js';

/**
 * Every field of a bench config or scenario written in seconds whose internal unit is another
 * one (docs/decisions/0030-one-unit-per-kind.md), by the object that holds it. The schemas
 * convert with these maps; the same maps name each field's deprecated name (its internal name,
 * which files used before durations were all in seconds). Fields already in seconds (`durationS`,
 * `atS`, `maxFlightTimeS`, `auth.freshnessS`, …) are not listed: nothing changed for them.
 */

export const FLYOUT_UNIT_FIELDS = { launchDelayS: ['launchDelayMs', 3] } as const satisfies UnitFields;
export const STALE_AFTER_UNIT_FIELDS = { staleAfterS: ['staleAfterMs', 3] } as const satisfies UnitFields;
export const CONTROL_UNIT_FIELDS = {
  commandLeadS: ['commandLeadMs', 3],
  syncBoundS: ['syncBoundUs', 6],
  trackStaleS: ['trackStaleMs', 3],
} as const satisfies UnitFields;
export const LINKS_UNIT_FIELDS = {
  supervisionS: ['supervisionMs', 3],
  ackTimeoutS: ['ackTimeoutMs', 3],
  timeSyncPeriodS: ['timeSyncPeriodMs', 3],
  maxDelayAsymmetryS: ['maxDelayAsymmetryUs', 6],
} as const satisfies UnitFields;
export const CAT062_UNIT_FIELDS = { periodS: ['periodMs', 3] } as const satisfies UnitFields;

export const SCENARIO_UNIT_FIELDS = { truthSampleS: ['truthSampleMs', 3] } as const satisfies UnitFields;
export const RADAR_UNIT_FIELDS = { scanPeriodS: ['scanPeriodMs', 3] } as const satisfies UnitFields;
export const CLOCK_UNIT_FIELDS = { offsetS: ['offsetUs', 6] } as const satisfies UnitFields;
export const LAUNCHER_UNIT_FIELDS = {
  launchDelayS: ['launchDelayMs', 3],
  armingS: ['armingMs', 3],
} as const satisfies UnitFields;
export const FAULT_UNIT_FIELDS = {
  latencyS: ['latencyMs', 3],
  jitterS: ['jitterMs', 3],
  delayS: ['delayMs', 3],
} as const satisfies UnitFields;

/** Where a map applies: a dotted path, `[]` for every item of a list (`''`: the file itself). */
/** The network between the nodes of a joint scenario. */
export const NETWORK_UNIT_FIELDS = {
  latencyS: ['latencyMs', 3],
  jitterS: ['jitterMs', 3],
} as const satisfies UnitFields;

export interface UnitFieldSite {
  readonly at: string;
  readonly fields: UnitFields;
}

export const BENCH_CONFIG_UNIT_SITES: readonly UnitFieldSite[] = [
  { at: 'devices.launchers[].model.flyout', fields: FLYOUT_UNIT_FIELDS },
  { at: 'devices.asterixRadars[]', fields: STALE_AFTER_UNIT_FIELDS },
  { at: 'devices.nmeaRadars[]', fields: STALE_AFTER_UNIT_FIELDS },
  { at: 'control', fields: CONTROL_UNIT_FIELDS },
  { at: 'links', fields: LINKS_UNIT_FIELDS },
  { at: 'output.cat062', fields: CAT062_UNIT_FIELDS },
  { at: 'sharing', fields: SHARING_UNIT_FIELDS },
];

export const SCENARIO_UNIT_SITES: readonly UnitFieldSite[] = [
  { at: '', fields: SCENARIO_UNIT_FIELDS },
  { at: 'radars[]', fields: RADAR_UNIT_FIELDS },
  { at: 'radars[].clock', fields: CLOCK_UNIT_FIELDS },
  { at: 'radars[].faults[]', fields: FAULT_UNIT_FIELDS },
  { at: 'launchers[]', fields: LAUNCHER_UNIT_FIELDS },
  { at: 'launchers[].clock', fields: CLOCK_UNIT_FIELDS },
  { at: 'launchers[].flyout', fields: FLYOUT_UNIT_FIELDS },
  { at: 'launchers[].faults[]', fields: FAULT_UNIT_FIELDS },
  { at: 'nodes[].radars[]', fields: RADAR_UNIT_FIELDS },
  { at: 'nodes[].radars[].clock', fields: CLOCK_UNIT_FIELDS },
  { at: 'nodes[].radars[].faults[]', fields: FAULT_UNIT_FIELDS },
  { at: 'nodes[].launchers[]', fields: LAUNCHER_UNIT_FIELDS },
  { at: 'nodes[].launchers[].clock', fields: CLOCK_UNIT_FIELDS },
  { at: 'nodes[].launchers[].flyout', fields: FLYOUT_UNIT_FIELDS },
  { at: 'nodes[].launchers[].faults[]', fields: FAULT_UNIT_FIELDS },
  { at: 'network', fields: NETWORK_UNIT_FIELDS },
];
