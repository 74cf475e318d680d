import { z } from 'zod';
import { benchConfigReferenceIssues } from './bench-config-references.js';
import { sharingConfigSchema } from '../sharing/sharing-config.js';
import { defendedAssetsSchema, doctrineSchema } from './defended-asset-schema.js';
import { toInternalUnits } from '../common/config-units.js';
import {
  BENCH_CONFIG_UNIT_SITES,
  CAT062_UNIT_FIELDS,
  CONTROL_UNIT_FIELDS,
  FLYOUT_UNIT_FIELDS,
  LINKS_UNIT_FIELDS,
  STALE_AFTER_UNIT_FIELDS,
} from './config-unit-fields.js';
import { renameDeprecatedUnitNames } from './deprecated-unit-names.js';

/** Most radars, and most launchers, one bench config may name. */
export const MAX_DEVICES = 64;

const positive = (what = 'a positive number') => z.number({ error: `expected ${what}` }).positive(`expected ${what}`);
/**
 * A timing or safety parameter with both bounds: below `min` it eats the machine (a 0.000001 s
 * period), above `max` it stops protecting anything (a 1e9 s supervision never sees a lost link).
 * Durations are in seconds (docs/decisions/0030-one-unit-per-kind.md).
 */
const bounded = (min: number, max: number, unit: string) =>
  z
    .number({ error: `expected a number in [${min}, ${max}] ${unit}` })
    .min(min, `expected at least ${min} ${unit}`)
    .max(max, `expected at most ${max} ${unit}`);
/** A coordinate in the local frame: finite, within 10 000 km. */
const coordinate = () => bounded(-1e7, 1e7, 'm');
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
/** `udp://HOST:PORT` (unicast) or `udp://GROUP:PORT[?iface=ADDRESS]` (IPv4 multicast group 224-239). */
const udpLink = () =>
  z
    .string({ error: 'expected udp://HOST:PORT' })
    .regex(
      /^udp:\/\/(?:[^:/?]+:\d{1,5}|(?:22[4-9]|23\d)(?:\.\d{1,3}){3}:\d{1,5}\?iface=\d{1,3}(?:\.\d{1,3}){3})$/,
      'expected udp://HOST:PORT, or udp://GROUP:PORT?iface=ADDRESS for a multicast group (224-239) on one interface',
    );
const linkUrl = () =>
  z
    .string({ error: 'expected a link URL' })
    .regex(
      /^(serial:\/.+|tcp:\/\/[^:/]+:\d+|memory:.*)$/,
      'expected serial:/dev/...?baud=N, tcp://host:port or memory:NAME',
    );
const vector3 = () =>
  z
    .object(
      { eastM: coordinate(), northM: coordinate(), upM: coordinate() },
      { error: 'expected {eastM, northM, upM}' },
    )
    .strict();

/** The host-side model of a launcher (what the intercept solver plans with). */
export const launcherModelSchema = z
  .object({
    position: vector3(),
    flyout: z
      .object({
        launchDelayS: bounded(0, 60, 's'),
        speedMps: positive().max(20_000, 'expected at most 20000 m/s'),
      })
      .strict()
      .transform(toInternalUnits(FLYOUT_UNIT_FIELDS)),
    envelope: z
      .object({
        minRangeM: bounded(0, 1e6, 'm'),
        maxRangeM: positive().max(1e6, 'expected at most 1000000 m'),
        maxAltitudeM: positive().max(1e6, 'expected at most 1000000 m'),
      })
      .strict(),
    slewRateDegPerS: positive().max(3600, 'expected at most 3600 deg/s'),
    /** Interceptor lethal radius: with flyout.speedMps it sets the launch-time error budget. */
    lethalRadiusM: positive().max(10_000, 'expected at most 10000 m').optional(),
    /** Interceptor maximum flight time: envelope.maxRangeM may not exceed flyout.speedMps × this. */
    maxFlightTimeS: positive().max(3600, 'expected at most 3600 s').optional(),
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
    link: udpLink(),
    site: wgs84Site(),
    sac: z.number().int().min(0).max(255).optional(),
    sic: z.number().int().min(0).max(255).optional(),
    accuracy: z.object({ rangeSigmaM: positive(), azimuthSigmaDeg: positive(), velocitySigmaMps: positive() }).strict(),
    acceptSimulated: z.boolean().default(false),
    staleAfterS: positive().default(10),
    /** A target not answering Mode 4 (I048/020 FOE/FRI "no reply"): `unknown` or `hostile`. */
    mode4NoReply: z.enum(['unknown', 'hostile'], { error: 'expected unknown or hostile' }).default('unknown'),
  })
  .strict()
  .transform(toInternalUnits(STALE_AFTER_UNIT_FIELDS));
export type AsterixRadarConfig = z.infer<typeof asterixRadarSchema>;
/**
 * A marine ARPA radar sending NMEA 0183 TTM (and TLL) sentences on a serial line (4800 or 38400
 * baud), at `position` in the bench frame; `headingDeg` is what its relative bearings are
 * measured from (0: a fixed radar aligned north).
 */
export const nmeaRadarSchema = z
  .object({
    id: identifier(),
    protocol: z.literal('nmea-ttm'),
    /** A `serial:` link must give `?baud=4800` or `?baud=38400` (the NMEA 0183 rates). */
    link: linkUrl().refine(
      (link) => !link.startsWith('serial:') || /[?&]baud=(4800|38400)(&|$)/.test(link),
      'expected ?baud=4800 (NMEA 0183) or ?baud=38400 (NMEA 0183-HS) on an NMEA serial link',
    ),
    position: vector3(),
    headingDeg: z
      .number()
      .min(0, 'expected a heading in [0, 360)')
      .lt(360, 'expected a heading in [0, 360)')
      .default(0),
    accuracy: z.object({ rangeSigmaM: positive(), bearingSigmaDeg: positive(), velocitySigmaMps: positive() }).strict(),
    staleAfterS: positive().default(10),
  })
  .strict()
  .transform(toInternalUnits(STALE_AFTER_UNIT_FIELDS));
export type NmeaRadarConfig = z.infer<typeof nmeaRadarSchema>;
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
        .object({
          host: z.string().default('127.0.0.1'),
          port: port().default(1883),
          wsPort: port().default(9001),
          /** Server certificate and key (PEM): required when `host` is not loopback. */
          tls: z.object({ certFile: z.string(), keyFile: z.string() }).strict().optional(),
          /** Browser origins allowed on the WebSocket besides the run's own display. */
          allowedOrigins: z
            .array(z.string().regex(/^https?:\/\/[^/]+$/, 'expected an origin like http://host:port'))
            .optional(),
        })
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

/**
 * A bench config as written (durations in seconds), validated, defaults filled, converted to the
 * internal units. Deprecated duration names (`links.ackTimeoutMs`) are accepted: see
 * {@link benchConfigSchema}.
 */
export const benchConfigFileSchema = z
  .object({
    node: z.object({ id: identifier() }).strict(),
    /** Scenario run by default (path relative to this file). Required for simulated benches. */
    scenario: z.string().optional(),
    simulator: z
      .object({
        enabled: z.boolean().default(false),
        /** `in-process`: memory links (virtual or real time); `pty`: its own process on PTY pairs. */
        placement: z.enum(['in-process', 'pty'], { error: 'expected in-process or pty' }).default('in-process'),
        /**
         * One sky with other node processes' simulators (a joint bench): kills go to `peers`
         * (`host:port`, UDP) and theirs, received on `port` (127.0.0.1), end the target here too.
         * In-process simulators only. Absent: this world alone.
         */
        sharedSky: z
          .object({
            port: z.number().int().min(1).max(65535),
            peers: z
              .array(z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port'))
              .min(1)
              .max(16),
          })
          .strict()
          .optional(),
      })
      .strict()
      .refine((s) => s.sharedSky === undefined || s.placement === 'in-process', {
        message: 'simulator.sharedSky needs placement: in-process (the world must be in this process)',
      })
      .prefault({}), // each field states its own default
    /** The bench's WGS-84 origin (its ENU frame); default 0° N 0° E on the ellipsoid. */
    site: wgs84Site().optional(),
    devices: z
      .object({
        radars: z.array(radarDeviceSchema).max(MAX_DEVICES, `expected at most ${MAX_DEVICES} radars`).default([]),
        /** Radars speaking ASTERIX over UDP (hardware benches). */
        asterixRadars: z
          .array(asterixRadarSchema)
          .max(MAX_DEVICES, `expected at most ${MAX_DEVICES} ASTERIX radars`)
          .optional(),
        /** ARPA radars speaking NMEA 0183 TTM over serial (hardware benches). */
        nmeaRadars: z.array(nmeaRadarSchema).max(MAX_DEVICES, `expected at most ${MAX_DEVICES} NMEA radars`).optional(),
        launchers: z
          .array(launcherDeviceSchema)
          .max(MAX_DEVICES, `expected at most ${MAX_DEVICES} launchers`)
          .default([]),
      })
      .strict()
      .prefault({}), // each field states its own default
    broker: brokerSchema.default({ embedded: { host: '127.0.0.1', port: 1883, wsPort: 9001 } }),
    control: z
      .object({
        tickHz: bounded(10, 10_000, 'Hz').default(1000),
        commandLeadS: bounded(0.001, 10, 's').default(0.05),
        replanToleranceM: bounded(0.1, 100_000, 'm').default(50),
        /** Optional cap on every launcher's launch-time error budget (time-sync uncertainty), s. */
        syncBoundS: bounded(0.000001, 1, 's').optional(),
        /** Fraction of the lethal radius a launch-time error may cost: budget = margin · lethalRadius / speed. */
        launchErrorMargin: positive().max(1, 'expected a fraction in (0, 1]').default(0.1),
        trackStaleS: bounded(0.01, 600, 's').default(3),
        /** FIREs one launcher may have refused for one target before it stops trying it. */
        maxFireRefusalsPerTarget: z.number().int('expected an integer').min(1).max(255).default(3),
        /** Weapon-assignment doctrine (the scenario's `doctrine` overrides field by field). */
        doctrine: doctrineSchema.optional(),
        /** Track filter: `imm` (interacting multiple models) or `cv` (constant velocity + ballistic classifier). */
        tracker: z.enum(['imm', 'cv'], { error: 'expected imm or cv' }).default('cv'),
        /**
         * Real time only: run the control tick thread at SCHED_FIFO with this priority (1–99), so
         * that nothing else on the host (the broker, network floods, other processes) preempts a
         * tick. Needs Linux, `chrt`, and root or CAP_SYS_NICE; the run refuses to start without
         * them. Unset: the default scheduler.
         */
        tickFifoPriority: z
          .number()
          .int('expected an integer')
          .min(1, 'expected a SCHED_FIFO priority in 1–99')
          .max(99, 'expected a SCHED_FIFO priority in 1–99')
          .optional(),
      })
      .strict()
      .transform(toInternalUnits(CONTROL_UNIT_FIELDS))
      .prefault({}), // each field states its own default
    links: z
      .object({
        /** Bounded above: a launcher's own watchdog trips in 0.25 s; the host must notice a lost link soon too. */
        supervisionS: bounded(0.01, 2, 's').default(0.15),
        ackTimeoutS: bounded(0.001, 5, 's').default(0.03),
        retries: z.number().int().min(0).max(10).default(3),
        timeSyncPeriodS: bounded(0.01, 10, 's').default(0.1),
        /**
         * Time-sync requests per round: each after the previous one's response (a warm path
         * is faster and more symmetric on PTYs and USB serial adapters). Unset: one request
         * per round (the drivers' default; left unset so config hashes of existing runs hold).
         */
        timeSyncBurst: z.number().int().min(1).max(8).optional(),
        /**
         * Bound on how unequal the two directions' delays can be, s, for every link. Unset: the
         * default of each link's transport (docs/decisions/0008-launch-error-budget.md).
         */
        maxDelayAsymmetryS: bounded(0.000000001, 1, 's').optional(),
      })
      .strict()
      .transform(toInternalUnits(LINKS_UNIT_FIELDS))
      .prefault({}), // each field states its own default
    auth: z
      .object({
        /**
         * Directory of operator public key files (`*.pub.json`, from `shieldlink keygen
         * --operator`), relative to this file.
         */
        keysDir: z.string().optional(),
        /**
         * Legacy: also accept HMAC key files (`*.key.json` shared secrets, `keygen --legacy-hmac`)
         * in keysDir. Unset: refused (only Ed25519 public keys are loaded).
         */
        legacyHmac: z.boolean().optional(),
        freshnessS: bounded(0.1, 300, 's').default(5),
        twoOperatorWindowS: bounded(1, 3600, 's').default(30),
      })
      .strict()
      .prefault({}), // each field states its own default
    output: z
      .object({
        dir: z.string().default('runs'),
        /**
         * The node's picture as ASTERIX CAT062 system tracks over UDP (none when absent):
         * `udp://HOST:PORT` (unicast) or `udp://GROUP:PORT[?iface=ADDRESS]` (a multicast group,
         * sent out of the interface with that IPv4 address; the OS's multicast route otherwise).
         */
        cat062: z
          .object({
            link: udpLink(),
            sac: z.number().int().min(0).max(255),
            sic: z.number().int().min(0).max(255),
            /** I015 service identification. */
            serviceId: z.number().int().min(0).max(255).default(1),
            /** Update period; the picture comes every 0.2 s, so a multiple of 0.2 s is exact. */
            periodS: bounded(0.2, 60, 's').default(1),
          })
          .strict()
          .transform(toInternalUnits(CAT062_UNIT_FIELDS))
          .optional(),
      })
      .strict()
      .prefault({}), // each field states its own default
    display: z.object({ port: port().optional() }).strict().default({}),
    /** Partners in a joint picture: what this node releases to each, and what it takes (docs/mqtt.md). */
    sharing: sharingConfigSchema.optional(),
    /** Defended assets (added to the scenario's own). */
    defendedAssets: defendedAssetsSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of benchConfigReferenceIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
  });

/**
 * {@link benchConfigFileSchema}, also accepting the names durations had before they were all in
 * seconds (`ackTimeoutMs: 30` for `ackTimeoutS: 0.03`, converted exactly). A deprecated name
 * given with its replacement is left in place, so the config is refused (an unknown key);
 * loadBenchConfig says why and `config check` warns about each deprecated name
 * (renameDeprecatedUnitNames).
 */
export const benchConfigSchema = z.preprocess(
  (data) => renameDeprecatedUnitNames(data, BENCH_CONFIG_UNIT_SITES).data,
  benchConfigFileSchema,
);

/** A validated bench config. */
export type BenchConfig = z.infer<typeof benchConfigSchema>;
export type LauncherModel = z.infer<typeof launcherModelSchema>;
