import { z } from 'zod';
import { defendedAssetsSchema, doctrineSchema } from './defended-asset-schema.js';
import { deviceFaultSchema } from './scenario-fault-schema.js';
import {
  FLIGHT_STEP_MS,
  MAX_INTEGRATED_FLIGHT_S,
  isIntegratedFlight,
  targetFlightFields,
  targetFlightIssues,
} from './scenario-flight-schema.js';
import { measurementSchema } from './scenario-measurement-schema.js';
import { radarTrackFaultsSchema } from './scenario-radar-track-faults-schema.js';
import { operatorCommandSchema } from './scenario-operator-command-schema.js';
import { pictureQualitySchema } from './scenario-picture-quality-schema.js';
import { scenarioReferenceIssues } from './scenario-references.js';
import { toInternalUnits } from '../common/config-units.js';
import {
  CLOCK_UNIT_FIELDS,
  FLYOUT_UNIT_FIELDS,
  LAUNCHER_UNIT_FIELDS,
  RADAR_UNIT_FIELDS,
  SCENARIO_UNIT_FIELDS,
  SCENARIO_UNIT_SITES,
} from './config-unit-fields.js';
import { renameDeprecatedUnitNames } from './deprecated-unit-names.js';
import { scenarioNetworkSchema, scenarioNodeSchema, scenarioSiteSchema } from './scenario-nodes-schema.js';

/**
 * A simulation scenario (`hil-configs/scenarios/*.yaml`): the world the firmware simulator
 * runs, the devices it plays, their faults, and the operator commands the host executes.
 *
 * Coordinates: one local east-north-up frame in metres, origin wherever the bench puts it (no
 * geodetic datum), shared by the world, every radar report and every FIRE aim point. Angles:
 * azimuth clockwise from north, elevation above the horizon. Times: scenario seconds from the
 * simulator's power-on; every duration is in seconds (docs/decisions/0030-one-unit-per-kind.md),
 * converted to the internal units (`scanPeriodMs`, `offsetUs`, …) here.
 */

const number = (what: string) =>
  z.number({ error: (issue) => (issue.input === undefined ? `required: ${what}` : `expected ${what}`) });
const positive = () => number('a positive number').positive('expected a positive number');
const nonNegative = () => number('a number >= 0').min(0, 'expected a number >= 0');
const probability = () =>
  number('a probability in [0, 1]')
    .min(0, 'expected a probability in [0, 1]')
    .max(1, 'expected a probability in [0, 1]');
const identifier = () =>
  z
    .string({ error: 'expected an identifier' })
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected lowercase letters, digits, - or _ (max 64)');
const positiveInt = () =>
  number('a positive integer').int('expected an integer').positive('expected a positive integer');
/**
 * A timing or physical parameter with both bounds: below `min` it eats the machine (a 0.000001 s
 * scan period, a 0.0000001 s truth sample), above `max` it is no bench.
 */
const bounded = (min: number, max: number, unit: string) =>
  number(`a number in [${min}, ${max}] ${unit}`)
    .min(min, `expected at least ${min} ${unit}`)
    .max(max, `expected at most ${max} ${unit}`);
const positiveAtMost = (max: number, unit: string) => positive().max(max, `expected at most ${max} ${unit}`);
/** A coordinate in the local frame, within 10 000 km. */
const coordinate = () => bounded(-1e7, 1e7, 'm');
/** Most targets, devices, commands, measurements and faults per list. */
export const MAX_SCENARIO_TARGETS = 10_000;
export const MAX_SCENARIO_DEVICES = 64;
export const MAX_SCENARIO_COMMANDS = 10_000;
export const MAX_SCENARIO_MEASUREMENTS = 1_000;
export const MAX_DEVICE_FAULTS = 100;
const capped = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z.array(item).max(max, `expected at most ${max} ${what}`);

/** A point or vector in the local ENU frame. */
export const enuSchema = z.strictObject(
  { eastM: coordinate(), northM: coordinate(), upM: coordinate() },
  { error: 'expected {eastM, northM, upM}' },
);
/** A velocity in the local ENU frame. */
export const enuVelocitySchema = z.strictObject(
  { eastMps: bounded(-1e5, 1e5, 'm/s'), northMps: bounded(-1e5, 1e5, 'm/s'), upMps: bounded(-1e5, 1e5, 'm/s') },
  { error: 'expected {eastMps, northMps, upMps}' },
);

/**
 * A device's own clock: device time = offsetS + t·(1 + driftPpm/1e6), t = time since power-on
 * (internally `offsetUs`).
 */
export const deviceClockSchema = z
  .strictObject({
    offsetS: bounded(0, 1e9, 's').default(0),
    driftPpm: number('ppm in [-1000, 1000]')
      .min(-1000, 'expected ppm >= -1000')
      .max(1000, 'expected ppm <= 1000')
      .default(0),
  })
  .transform(toInternalUnits(CLOCK_UNIT_FIELDS));

export const IFF_VALUES = ['hostile', 'friendly', 'unknown'] as const;

export const targetSchema = z
  .strictObject({
    id: identifier(),
    /**
     * `ballistic`: gravity 9.80665 m/s² down (drag with `ballisticCoefficientKgPerM2`);
     * `constant-velocity`: a straight line at constant speed (turned by `manoeuvres`).
     */
    kind: z.enum(['ballistic', 'constant-velocity'], { error: 'expected ballistic or constant-velocity' }),
    /** Scenario second the target appears at `position` with `velocity`. */
    startS: nonNegative().default(0),
    position: enuSchema,
    velocity: enuVelocitySchema,
    iff: z.enum(IFF_VALUES, { error: 'expected hostile, friendly or unknown' }),
    /** Radar cross-section; scales each radar's range as (rcsM2 / referenceRcsM2)^(1/4). */
    rcsM2: positiveAtMost(1e6, 'm2').optional(),
    /** Multiplies each radar's detection probability (default 1). */
    detectability: probability().default(1),
    ...targetFlightFields,
  })
  .superRefine((target, ctx) => {
    for (const issue of targetFlightIssues(target)) ctx.addIssue({ code: 'custom', ...issue });
    if (target.position.upM < 0 || (target.position.upM === 0 && target.velocity.upMps <= 0)) {
      ctx.addIssue({ code: 'custom', path: ['position', 'upM'], message: 'expected a target above the ground' });
    }
  });

export const radarSchema = z
  .strictObject({
    id: identifier(),
    position: enuSchema,
    scanPeriodS: bounded(0.01, 60, 's'),
    /** Instrumented range for a target of referenceRcsM2. */
    maxRangeM: positiveAtMost(1e7, 'm'),
    referenceRcsM2: positiveAtMost(1e6, 'm2').default(1),
    rangeSigmaM: bounded(0, 1e5, 'm'),
    /** 1-sigma noise of azimuth and of elevation. */
    angleSigmaDeg: bounded(0, 90, 'deg'),
    velocitySigmaMps: bounded(0, 1e4, 'm/s').default(5),
    detectionProbability: probability(),
    /** Mean false tracks per second over the whole coverage (Poisson). */
    falseAlarmRatePerS: bounded(0, 100, 'per s').default(0),
    /** Consecutive missed scans after which a track is dropped `lost`. */
    coastScans: positiveInt().max(1000, 'expected at most 1000 scans').default(3),
    /** Mode at power-on. */
    initialMode: z.enum(['standby', 'search', 'silent']).default('search'),
    serial: number('a u32').int().min(0).max(0xffffffff).optional(),
    clock: deviceClockSchema.prefault({}),
    baud: positiveInt()
      .min(300, 'expected at least 300 baud')
      .max(12_000_000, 'expected at most 12000000 baud')
      .default(921_600),
    faults: capped(deviceFaultSchema, MAX_DEVICE_FAULTS, 'faults').default([]),
    /** Faults of the radar's own tracking: swaps, splits, late initiation (none by default). */
    trackFaults: radarTrackFaultsSchema.optional(),
  })
  .transform(toInternalUnits(RADAR_UNIT_FIELDS));

/** The host's model of a launcher's flyout: what the intercept solver plans with. */
export const flyoutSchema = z
  .strictObject({
    launchDelayS: bounded(0, 60, 's'),
    speedMps: positiveAtMost(20_000, 'm/s'),
  })
  .transform(toInternalUnits(FLYOUT_UNIT_FIELDS));
/** The host's engagement envelope of a launcher. */
export const envelopeSchema = z.strictObject({
  minRangeM: bounded(0, 1e6, 'm'),
  maxRangeM: positiveAtMost(1e6, 'm'),
  maxAltitudeM: positiveAtMost(1e6, 'm'),
});

export const launcherSchema = z
  .strictObject({
    id: identifier(),
    position: enuSchema,
    rounds: number('a round count').int('expected an integer').min(0).max(255, 'expected at most 255 rounds'),
    slewRateDegPerS: positiveAtMost(3600, 'deg/s'),
    /** Truth: ignition (execute-at) to the interceptor leaving the rail. */
    launchDelayS: bounded(0, 60, 's'),
    /** Truth: interceptor speed, constant, straight from the launcher to the aim point and on. */
    speedMps: positiveAtMost(20_000, 'm/s'),
    lethalRadiusM: positiveAtMost(10_000, 'm'),
    maxFlightTimeS: positiveAtMost(3600, 's'),
    /** ARM accepted → ARMED. */
    armingS: bounded(0, 600, 's').default(0.5),
    /** When set, a FIRE whose aim bearing is further than this from the launcher's pointing at execute-at misfires. */
    pointingToleranceDeg: positive().optional(),
    initialAzimuthDeg: number('degrees in [0, 360)').min(0).lt(360).default(0),
    initialElevationDeg: number('degrees in [0, 90]').min(0).max(90).default(45),
    serial: number('a u32').int().min(0).max(0xffffffff).optional(),
    clock: deviceClockSchema.prefault({}),
    baud: positiveInt()
      .min(300, 'expected at least 300 baud')
      .max(12_000_000, 'expected at most 12000000 baud')
      .default(921_600),
    /** Host model: engagement envelope. */
    envelope: envelopeSchema,
    /** Host model: flyout (default: the truth launchDelayS and speedMps). */
    flyout: flyoutSchema.optional(),
    faults: capped(deviceFaultSchema, MAX_DEVICE_FAULTS, 'faults').default([]),
  })
  .transform(toInternalUnits(LAUNCHER_UNIT_FIELDS))
  .transform((launcher) => ({
    ...launcher,
    flyout: launcher.flyout ?? { launchDelayMs: launcher.launchDelayMs, speedMps: launcher.speedMps },
  }));

/** A node of a joint scenario (see scenario-nodes-schema.ts). */
export const nodeSchema = scenarioNodeSchema(radarSchema, launcherSchema, operatorCommandSchema);

/** A scenario file as written (durations in seconds), validated and converted to internal units. */
export const scenarioFileSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    /** Seeds every random stream of the simulator (named substreams per device). */
    seed: number('an integer seed').int('expected an integer seed').min(0).max(Number.MAX_SAFE_INTEGER),
    durationS: positiveAtMost(86_400, 's'),
    /** Truth samples of every flying target, this often (s). */
    truthSampleS: bounded(0.001, 60, 's').default(0.1),
    targets: capped(targetSchema, MAX_SCENARIO_TARGETS, 'targets').default([]),
    radars: capped(radarSchema, MAX_SCENARIO_DEVICES, 'radars').default([]),
    launchers: capped(launcherSchema, MAX_SCENARIO_DEVICES, 'launchers').default([]),
    operatorCommands: capped(operatorCommandSchema, MAX_SCENARIO_COMMANDS, 'operator commands').default([]),
    /** Limits on summary figures: the run fails when one is outside. */
    measurements: capped(measurementSchema, MAX_SCENARIO_MEASUREMENTS, 'measurements').default([]),
    /** How the host picture is scored against truth (GOSPA, SIAP); defaults when absent. */
    pictureQuality: pictureQualitySchema.optional(),
    /** Defended assets of this scenario (added to the bench config's). */
    defendedAssets: defendedAssetsSchema.optional(),
    /**
     * Weapon-assignment and firing doctrine for this scenario, over the bench config's
     * `control.doctrine` field by field (e.g. `{ firing: salvo }`; defended-asset-schema.ts).
     */
    doctrine: doctrineSchema.optional(),
    /** The world origin (WGS-84) of a joint scenario: `targets` fly in its ENU frame. */
    site: scenarioSiteSchema.optional(),
    /** A joint scenario's nodes: each with its own site, devices, assets and release policy. */
    nodes: z.array(nodeSchema).max(8, 'expected at most 8 nodes').optional(),
    /** The network between the nodes in a virtual-time joint run (defaults when absent). */
    network: scenarioNetworkSchema.optional(),
  })
  .superRefine((scenario, ctx) => {
    checkReferences(scenario, ctx);
    checkIntegratedFlight(scenario, ctx);
  })
  .transform(toInternalUnits(SCENARIO_UNIT_FIELDS));

/**
 * {@link scenarioFileSchema}, also accepting the names durations had before they were all in
 * seconds (`scanPeriodMs: 500` for `scanPeriodS: 0.5`, converted exactly). A deprecated name
 * given with its replacement is left in place, so the scenario is refused (an unknown key);
 * loadScenario says why and `config check` warns about each deprecated name.
 */
export const scenarioSchema = z.preprocess<unknown, typeof scenarioFileSchema, ScenarioInput>(
  (data) => renameDeprecatedUnitNames(data, SCENARIO_UNIT_SITES).data,
  scenarioFileSchema,
);

function checkReferences(scenario: unknown, ctx: z.RefinementCtx): void {
  for (const issue of scenarioReferenceIssues(scenario)) ctx.addIssue({ code: 'custom', ...issue });
}

/** Targets with drag, boost or manoeuvres are integrated: bound the memory their flight takes. */
function checkIntegratedFlight(
  scenario: { durationS: number; targets: readonly z.output<typeof targetSchema>[] },
  ctx: z.RefinementCtx,
): void {
  let flightS = 0;
  for (const target of scenario.targets) {
    if (isIntegratedFlight(target)) flightS += Math.max(0, scenario.durationS - target.startS);
  }
  if (flightS > MAX_INTEGRATED_FLIGHT_S) {
    ctx.addIssue({
      code: 'custom',
      path: ['targets'],
      message:
        `targets with drag, boost or manoeuvres are integrated every ${FLIGHT_STEP_MS} ms: at most ` +
        `${MAX_INTEGRATED_FLIGHT_S} s of such flight per scenario (this one has ${Math.round(flightS)} s)`,
    });
  }
}

/** A validated scenario, defaults filled in. */
export type Scenario = z.output<typeof scenarioFileSchema>;
/** A scenario file as written: durations in seconds, defaults optional. */
export type ScenarioFileInput = z.input<typeof scenarioFileSchema>;
/**
 * A scenario built in code (tests, tools): the internal names and units of {@link Scenario}
 * (`scanPeriodMs`, `offsetUs`), every field optional for the type (the schema checks them).
 */
export type ScenarioInput = DeepPartial<Scenario>;
type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
export type ScenarioTarget = Scenario['targets'][number];
export type ScenarioRadar = Scenario['radars'][number];
export type ScenarioLauncher = Scenario['launchers'][number];
export type Enu = z.output<typeof enuSchema>;
export type EnuVelocity = z.output<typeof enuVelocitySchema>;
export type DeviceClockConfig = z.output<typeof deviceClockSchema>;
export type Iff = (typeof IFF_VALUES)[number];
export type ScenarioNode = NonNullable<Scenario['nodes']>[number];

/**
 * The host-side model of a scenario launcher, in the shape of the bench config's
 * `devices.launchers[].model` (what the control loop's intercept solver needs).
 */
export function launcherModelOf(launcher: ScenarioLauncher): {
  position: Enu;
  flyout: { launchDelayMs: number; speedMps: number };
  envelope: { minRangeM: number; maxRangeM: number; maxAltitudeM: number };
  slewRateDegPerS: number;
  lethalRadiusM: number;
} {
  return {
    position: launcher.position,
    flyout: launcher.flyout,
    envelope: launcher.envelope,
    slewRateDegPerS: launcher.slewRateDegPerS,
    lethalRadiusM: launcher.lethalRadiusM,
  };
}
