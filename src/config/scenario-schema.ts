import { z } from 'zod';
import { deviceFaultSchema } from './scenario-fault-schema.js';
import { measurementSchema } from './scenario-measurement-schema.js';
import { operatorCommandSchema } from './scenario-operator-command-schema.js';

/**
 * A simulation scenario (`hil-configs/scenarios/*.yaml`): the world the firmware simulator
 * runs, the devices it plays, their faults, and the operator commands the host executes.
 *
 * Coordinates: one local east-north-up frame in metres, origin wherever the bench puts it (no
 * geodetic datum), shared by the world, every radar report and every FIRE aim point. Angles:
 * azimuth clockwise from north, elevation above the horizon. Times: scenario seconds from the
 * simulator's power-on.
 */

const number = (what: string) =>
  z.number({ error: (issue) => (issue.input === undefined ? `required: ${what}` : `expected ${what}`) });
const positive = () => number('a positive number').positive('expected a positive number');
const nonNegative = () => number('a number >= 0').min(0, 'expected a number >= 0');
const finite = () => number('a number');
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

/** A point or vector in the local ENU frame. */
export const enuSchema = z.strictObject(
  { eastM: finite(), northM: finite(), upM: finite() },
  { error: 'expected {eastM, northM, upM}' },
);
/** A velocity in the local ENU frame. */
export const enuVelocitySchema = z.strictObject(
  { eastMps: finite(), northMps: finite(), upMps: finite() },
  { error: 'expected {eastMps, northMps, upMps}' },
);

/** A device's own clock: deviceTimeUs = offsetUs + t·(1 + driftPpm/1e6), t = time since power-on. */
export const deviceClockSchema = z.strictObject({
  offsetUs: nonNegative().default(0),
  driftPpm: number('ppm in [-1000, 1000]')
    .min(-1000, 'expected ppm >= -1000')
    .max(1000, 'expected ppm <= 1000')
    .default(0),
});

export const IFF_VALUES = ['hostile', 'friendly', 'unknown'] as const;

export const targetSchema = z
  .strictObject({
    id: identifier(),
    /** `ballistic`: gravity 9.80665 m/s² down, no drag; `constant-velocity`: straight line. */
    kind: z.enum(['ballistic', 'constant-velocity'], { error: 'expected ballistic or constant-velocity' }),
    /** Scenario second the target appears at `position` with `velocity`. */
    startS: nonNegative().default(0),
    position: enuSchema,
    velocity: enuVelocitySchema,
    iff: z.enum(IFF_VALUES, { error: 'expected hostile, friendly or unknown' }),
    /** Radar cross-section; scales each radar's range as (rcsM2 / referenceRcsM2)^(1/4). */
    rcsM2: positive().optional(),
    /** Multiplies each radar's detection probability (default 1). */
    detectability: probability().default(1),
  })
  .superRefine((target, ctx) => {
    if (target.position.upM < 0 || (target.position.upM === 0 && target.velocity.upMps <= 0)) {
      ctx.addIssue({ code: 'custom', path: ['position', 'upM'], message: 'expected a target above the ground' });
    }
  });

export const radarSchema = z.strictObject({
  id: identifier(),
  position: enuSchema,
  scanPeriodMs: positive(),
  /** Instrumented range for a target of referenceRcsM2. */
  maxRangeM: positive(),
  referenceRcsM2: positive().default(1),
  rangeSigmaM: nonNegative(),
  /** 1-sigma noise of azimuth and of elevation. */
  angleSigmaDeg: nonNegative(),
  velocitySigmaMps: nonNegative().default(5),
  detectionProbability: probability(),
  /** Mean false tracks per second over the whole coverage (Poisson). */
  falseAlarmRatePerS: nonNegative().default(0),
  /** Consecutive missed scans after which a track is dropped `lost`. */
  coastScans: positiveInt().default(3),
  /** Mode at power-on. */
  initialMode: z.enum(['standby', 'search', 'silent']).default('search'),
  serial: number('a u32').int().min(0).max(0xffffffff).optional(),
  clock: deviceClockSchema.default({ offsetUs: 0, driftPpm: 0 }),
  baud: positiveInt().default(921_600),
  faults: z.array(deviceFaultSchema).default([]),
});

/** The host's model of a launcher's flyout: what the intercept solver plans with. */
export const flyoutSchema = z.strictObject({ launchDelayMs: nonNegative(), speedMps: positive() });
/** The host's engagement envelope of a launcher. */
export const envelopeSchema = z.strictObject({
  minRangeM: nonNegative(),
  maxRangeM: positive(),
  maxAltitudeM: positive(),
});

export const launcherSchema = z
  .strictObject({
    id: identifier(),
    position: enuSchema,
    rounds: number('a round count').int('expected an integer').min(0).max(255, 'expected at most 255 rounds'),
    slewRateDegPerS: positive(),
    /** Truth: ignition (execute-at) to the interceptor leaving the rail. */
    launchDelayMs: nonNegative(),
    /** Truth: interceptor speed, constant, straight from the launcher to the aim point and on. */
    speedMps: positive(),
    lethalRadiusM: positive(),
    maxFlightTimeS: positive(),
    /** ARM accepted → ARMED. */
    armingMs: nonNegative().default(500),
    /** When set, a FIRE whose aim bearing is further than this from the launcher's pointing at execute-at misfires. */
    pointingToleranceDeg: positive().optional(),
    initialAzimuthDeg: number('degrees in [0, 360)').min(0).lt(360).default(0),
    initialElevationDeg: number('degrees in [0, 90]').min(0).max(90).default(45),
    serial: number('a u32').int().min(0).max(0xffffffff).optional(),
    clock: deviceClockSchema.default({ offsetUs: 0, driftPpm: 0 }),
    baud: positiveInt().default(921_600),
    /** Host model: engagement envelope. */
    envelope: envelopeSchema,
    /** Host model: flyout (default: the truth launchDelayMs and speedMps). */
    flyout: flyoutSchema.optional(),
    faults: z.array(deviceFaultSchema).default([]),
  })
  .transform((launcher) => ({
    ...launcher,
    flyout: launcher.flyout ?? { launchDelayMs: launcher.launchDelayMs, speedMps: launcher.speedMps },
  }));

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    /** Seeds every random stream of the simulator (named substreams per device). */
    seed: number('an integer seed').int('expected an integer seed').min(0).max(Number.MAX_SAFE_INTEGER),
    durationS: positive(),
    /** Truth samples of every flying target, this often. */
    truthSampleMs: positive().default(100),
    targets: z.array(targetSchema).default([]),
    radars: z.array(radarSchema).default([]),
    launchers: z.array(launcherSchema).default([]),
    operatorCommands: z.array(operatorCommandSchema).default([]),
    /** Limits on summary figures: the run fails when one is outside (issue 6). */
    measurements: z.array(measurementSchema).default([]),
  })
  .superRefine((scenario, ctx) => checkReferences(scenario, ctx));

type ScenarioShape = {
  durationS: number;
  targets: readonly { id: string; startS: number }[];
  radars: readonly { id: string; faults: readonly { atS?: number | undefined }[] }[];
  launchers: readonly {
    id: string;
    faults: readonly { atS?: number | undefined }[];
    envelope: { minRangeM: number; maxRangeM: number };
  }[];
  operatorCommands: readonly ({ atS: number; command: string } & Record<string, unknown>)[];
};

function checkReferences(scenario: ScenarioShape, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
  const seen = new Map<string, string>();
  const unique = (collection: string, items: readonly { id: string }[]): void =>
    items.forEach((item, i) => {
      const first = seen.get(item.id);
      if (first !== undefined) issue([collection, i, 'id'], `duplicate id '${item.id}' (also ${first})`);
      else seen.set(item.id, `${collection}[${i}]`);
    });
  unique('targets', scenario.targets);
  unique('radars', scenario.radars);
  unique('launchers', scenario.launchers);
  scenario.targets.forEach((target, i) => {
    if (target.startS >= scenario.durationS) issue(['targets', i, 'startS'], 'expected a start before durationS');
  });
  for (const collection of ['radars', 'launchers'] as const) {
    scenario[collection].forEach((device, i) =>
      device.faults.forEach((fault, j) => {
        if ((fault.atS ?? 0) >= scenario.durationS)
          issue([collection, i, 'faults', j, 'atS'], 'expected a time before durationS');
      }),
    );
  }
  scenario.launchers.forEach((launcher, i) => {
    if (launcher.envelope.minRangeM >= launcher.envelope.maxRangeM)
      issue(['launchers', i, 'envelope', 'minRangeM'], 'expected minRangeM < maxRangeM');
  });
  const radarIds = new Set(scenario.radars.map((r) => r.id));
  const launcherIds = new Set(scenario.launchers.map((l) => l.id));
  scenario.operatorCommands.forEach((command, i) => {
    if (command.atS > scenario.durationS) issue(['operatorCommands', i, 'atS'], 'expected a time within durationS');
    const launcher = command['launcher'];
    if (typeof launcher === 'string' && !launcherIds.has(launcher))
      issue(['operatorCommands', i, 'launcher'], `unknown launcher '${launcher}'`);
    const radar = command['radar'];
    if (typeof radar === 'string' && !radarIds.has(radar))
      issue(['operatorCommands', i, 'radar'], `unknown radar '${radar}'`);
  });
}

/** A validated scenario, defaults filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
/** A scenario as written (defaults optional). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioTarget = Scenario['targets'][number];
export type ScenarioRadar = Scenario['radars'][number];
export type ScenarioLauncher = Scenario['launchers'][number];
export type Enu = z.output<typeof enuSchema>;
export type EnuVelocity = z.output<typeof enuVelocitySchema>;
export type DeviceClockConfig = z.output<typeof deviceClockSchema>;
export type Iff = (typeof IFF_VALUES)[number];

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
