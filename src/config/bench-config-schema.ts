import { z } from 'zod';

const positive = (what = 'a positive number') => z.number({ error: `expected ${what}` }).positive(`expected ${what}`);
const nonNegative = () => z.number({ error: 'expected a number >= 0' }).min(0, 'expected a number >= 0');
const port = () =>
  z
    .number({ error: 'expected a TCP port number' })
    .int('expected an integer port')
    .min(0, 'expected a port in 0..65535')
    .max(65535, 'expected a port in 0..65535');
const identifier = () =>
  z
    .string({ error: 'expected an identifier' })
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected lowercase letters, digits, - or _ (max 64)');
const linkUrl = () =>
  z
    .string({ error: 'expected a link URL' })
    .regex(
      /^(serial:\/.+|tcp:\/\/[^:/]+:\d+|memory:.*)$/,
      'expected serial:/dev/...?baud=N, tcp://host:port or memory:NAME',
    );
const vector3 = () =>
  z
    .object({ eastM: z.number(), northM: z.number(), upM: z.number() }, { error: 'expected {eastM, northM, upM}' })
    .strict();

/** The host-side model of a launcher (what the intercept solver plans with). */
export const launcherModelSchema = z
  .object({
    position: vector3(),
    flyout: z.object({ launchDelayMs: nonNegative(), speedMps: positive() }).strict(),
    envelope: z.object({ minRangeM: nonNegative(), maxRangeM: positive(), maxAltitudeM: positive() }).strict(),
    slewRateDegPerS: positive(),
  })
  .strict();

/** A device the host talks to. In simulated benches devices come from the scenario. */
export const radarDeviceSchema = z.object({ id: identifier(), link: linkUrl(), position: vector3() }).strict();

/** A WGS-84 position: degrees, metres above the ellipsoid. */
const wgs84Site = () =>
  z
    .object({
      latDeg: z.number().min(-90, 'expected latitude in -90..90').max(90, 'expected latitude in -90..90'),
      lonDeg: z.number().min(-180, 'expected longitude in -180..180').max(180, 'expected longitude in -180..180'),
      heightM: z
        .number()
        .min(-1000, 'expected height in -1000..100000 m')
        .max(100_000, 'expected height in -1000..100000 m'),
    })
    .strict();

/**
 * A radar speaking EUROCONTROL ASTERIX (CAT048 target reports, CAT034 service messages) over UDP:
 * `udp://0.0.0.0:PORT` (unicast) or `udp://GROUP:PORT[?iface=ADDRESS]` (multicast), at its own
 * WGS-84 site, with its declared 1-sigma accuracies (they become the measurement covariance).
 */
export const asterixRadarSchema = z
  .object({
    id: identifier(),
    protocol: z.literal('asterix-cat048'),
    link: z.string().regex(/^udp:\/\/[^:/?]+:\d+(\?iface=[0-9.]+)?$/, 'expected udp://HOST:PORT[?iface=ADDRESS]'),
    site: wgs84Site(),
    sac: z.number().int().min(0).max(255).optional(),
    sic: z.number().int().min(0).max(255).optional(),
    accuracy: z.object({ rangeSigmaM: positive(), azimuthSigmaDeg: positive(), velocitySigmaMps: positive() }).strict(),
    acceptSimulated: z.boolean().default(false),
    staleAfterMs: positive().default(10_000),
  })
  .strict();
export type AsterixRadarConfig = z.infer<typeof asterixRadarSchema>;
export const launcherDeviceSchema = z
  .object({ id: identifier(), link: linkUrl(), model: launcherModelSchema })
  .strict();

const tlsSchema = z
  .object({
    caFile: z.string().optional(),
    certFile: z.string().optional(),
    keyFile: z.string().optional(),
    rejectUnauthorized: z.boolean().default(true),
  })
  .strict();

/** Where MQTT goes: an embedded Aedes broker (default) or an external one. */
export const brokerSchema = z.union([
  z
    .object({
      embedded: z
        .object({ host: z.string().default('127.0.0.1'), port: port().default(1883), wsPort: port().default(8883) })
        .strict(),
    })
    .strict(),
  z
    .object({
      url: z.string().regex(/^(mqtts?|wss?):\/\/.+/, 'expected mqtt://, mqtts://, ws:// or wss:// URL'),
      tls: tlsSchema.optional(),
      username: z.string().optional(),
      /** Name of the environment variable holding the password (never the password itself). */
      passwordEnv: z.string().optional(),
    })
    .strict(),
  z.object({ disabled: z.literal(true) }).strict(),
]);

export const benchConfigSchema = z
  .object({
    node: z.object({ id: identifier() }).strict(),
    /** Scenario run by default (path relative to this file). Required for simulated benches. */
    scenario: z.string().optional(),
    simulator: z
      .object({
        enabled: z.boolean(),
        /** `in-process`: memory links (virtual or real time); `pty`: its own process on PTY pairs. */
        placement: z.enum(['in-process', 'pty'], { error: 'expected in-process or pty' }).default('in-process'),
      })
      .strict()
      .default({ enabled: false, placement: 'in-process' }),
    /** The bench's WGS-84 origin (its ENU frame); default 0° N 0° E on the ellipsoid. */
    site: wgs84Site().optional(),
    devices: z
      .object({
        radars: z.array(radarDeviceSchema).default([]),
        /** Radars speaking ASTERIX over UDP (hardware benches). */
        asterixRadars: z.array(asterixRadarSchema).optional(),
        launchers: z.array(launcherDeviceSchema).default([]),
      })
      .strict()
      .default({ radars: [], launchers: [] }),
    broker: brokerSchema.default({ embedded: { host: '127.0.0.1', port: 1883, wsPort: 8883 } }),
    control: z
      .object({
        tickHz: positive().default(1000),
        commandLeadMs: positive().default(50),
        replanToleranceM: positive().default(50),
        syncBoundUs: positive().default(200),
        trackStaleMs: positive().default(3000),
      })
      .strict()
      .default({ tickHz: 1000, commandLeadMs: 50, replanToleranceM: 50, syncBoundUs: 200, trackStaleMs: 3000 }),
    links: z
      .object({
        supervisionMs: positive().default(150),
        ackTimeoutMs: positive().default(30),
        retries: z.number().int().min(0).max(10).default(3),
        timeSyncPeriodMs: positive().default(100),
        /**
         * Time-sync requests per round: each after the previous one's response (a warm path
         * is faster and more symmetric on PTYs and USB serial adapters). Default 1.
         */
        timeSyncBurst: z.number().int().min(1).max(8).optional(),
        /**
         * Bound on how unequal the two directions' delays can be, us. Unset: the rigorous bound
         * (half the round trip), which over USB/PTY links is several hundred us and keeps every
         * FIRE refused at a 200 us sync bound. Measure the link, then set it.
         */
        maxDelayAsymmetryUs: positive().optional(),
      })
      .strict()
      .default({ supervisionMs: 150, ackTimeoutMs: 30, retries: 3, timeSyncPeriodMs: 100 }),
    auth: z
      .object({
        /** Directory of operator key files (`<operator>.key`), relative to this file. */
        keysDir: z.string().optional(),
        freshnessS: positive().default(5),
        twoOperatorWindowS: positive().default(30),
      })
      .strict()
      .default({ freshnessS: 5, twoOperatorWindowS: 30 }),
    output: z
      .object({ dir: z.string().default('runs') })
      .strict()
      .default({ dir: 'runs' }),
    display: z.object({ port: port().optional() }).strict().default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.simulator.enabled && config.scenario === undefined) {
      ctx.addIssue({ code: 'custom', path: ['scenario'], message: 'a simulated bench needs a scenario' });
    }
    if (
      !config.simulator.enabled &&
      config.devices.radars.length + config.devices.launchers.length + (config.devices.asterixRadars ?? []).length === 0
    ) {
      ctx.addIssue({ code: 'custom', path: ['devices'], message: 'a hardware bench needs at least one device' });
    }
    if (config.simulator.enabled && (config.devices.asterixRadars ?? []).length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['devices', 'asterixRadars'],
        message: 'ASTERIX radars are for hardware benches (simulator disabled)',
      });
    }
    const ids = [...config.devices.radars, ...config.devices.launchers, ...(config.devices.asterixRadars ?? [])].map(
      (d) => d.id,
    );
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: 'custom', path: ['devices'], message: `duplicate device id ${id}` });
    });
    for (const [i, launcher] of config.devices.launchers.entries()) {
      const envelope = launcher.model.envelope;
      if (envelope.minRangeM >= envelope.maxRangeM) {
        ctx.addIssue({
          code: 'custom',
          path: ['devices', 'launchers', i, 'model', 'envelope', 'minRangeM'],
          message: 'expected minRangeM < maxRangeM',
        });
      }
    }
  });

/** A validated bench config. */
export type BenchConfig = z.infer<typeof benchConfigSchema>;
export type LauncherModel = z.infer<typeof launcherModelSchema>;
