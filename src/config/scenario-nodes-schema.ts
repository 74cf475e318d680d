import { z } from 'zod';
import { releasePolicySchema } from '../sharing/release-policy.js';
import { toInternalUnits } from '../common/config-units.js';
import { NETWORK_UNIT_FIELDS } from './config-unit-fields.js';
import { defendedAssetsSchema } from './defended-asset-schema.js';

/**
 * The `nodes:` of a joint scenario: two or more independent nodes of a joint shield, each with its
 * own WGS-84 site, radars, launchers, defended assets, operators, broker and release policy
 * towards each partner, in one world. The scenario's `targets` fly in the ENU frame of the
 * scenario's `site` (the world origin); each node's devices and assets are given in its own ENU
 * frame (its `site`), as that node's own config would give them. Each node sees the world only
 * through its own radars; what it learns from a partner comes over the modelled `network`.
 */

/** Most nodes of one joint scenario. */
export const MAX_SCENARIO_NODES = 8;
/** Farthest a node's site may be from the world origin (the flat ENU world stays accurate). */
export const MAX_NODE_DISTANCE_M = 500_000;

const nodeId = () =>
  z
    .string({ error: 'expected a node id' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'expected a node id: [A-Za-z0-9][A-Za-z0-9._:-]{0,63}');

/** A WGS-84 position (degrees, metres above the ellipsoid). */
export const scenarioSiteSchema = z.strictObject(
  {
    latDeg: z.number().min(-89, 'expected latitude in -89..89').max(89, 'expected latitude in -89..89'),
    lonDeg: z.number().min(-180, 'expected longitude in -180..180').max(180, 'expected longitude in -180..180'),
    heightM: z.number().min(-1000, 'expected height in -1000..100000 m').max(100_000).default(0),
  },
  { error: 'expected {latDeg, lonDeg, heightM}' },
);

const seconds = () => z.number({ error: 'expected seconds >= 0' }).min(0, 'expected seconds >= 0');

/**
 * The network between the nodes of a virtual-time joint run: every message is delivered after
 * `latencyS` plus a uniform draw in [0, `jitterS`] (seeded), in the order it was sent on its
 * directed link (jitter never reorders one link), lost with `lossProbability` (seeded), and not
 * at all while a partition window separates its two ends. Real time uses the real brokers.
 */
export const scenarioNetworkSchema = z
  .strictObject({
    latencyS: z.number().min(0, 'expected a latency >= 0 s').max(60, 'expected at most 60 s').default(0.1),
    jitterS: z.number().min(0, 'expected a jitter >= 0 s').max(10, 'expected at most 10 s').default(0),
    lossProbability: z.number().min(0, 'expected a probability in [0, 1]').max(1).default(0),
    partitions: z
      .array(
        z.strictObject({
          fromS: seconds(),
          toS: seconds(),
          /** The two nodes cut apart; absent: every link. */
          between: z.tuple([nodeId(), nodeId()]).optional(),
        }),
      )
      .max(64, 'expected at most 64 partition windows')
      .default([]),
  })
  .transform(toInternalUnits(NETWORK_UNIT_FIELDS));
export type ScenarioNetwork = z.output<typeof scenarioNetworkSchema>;

/**
 * A node's broker, for a real-time joint bench (one process per node, brokers bridged as in
 * hil-configs/joint/); a virtual-time run links the nodes in-process and names it only.
 */
const brokerSchema = z.strictObject({
  url: z.string().regex(/^(mqtts?|wss?):\/\/[^\s]+$/, 'expected an mqtt://, mqtts://, ws:// or wss:// URL'),
  username: z.string().min(1).optional(),
  passwordEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name')
    .optional(),
});

/** The node schema, given the scenario's radar, launcher and operator-command schemas (no import cycle). */
export function scenarioNodeSchema<R extends z.ZodType, L extends z.ZodType, C extends z.ZodType>(
  radar: R,
  launcher: L,
  command: C,
) {
  return z.strictObject({
    id: nodeId(),
    /** The node's WGS-84 origin: its ENU frame, in which its devices and assets are given. */
    site: scenarioSiteSchema,
    radars: z.array(radar).min(1, 'expected at least one radar per node').max(64, 'expected at most 64 radars'),
    launchers: z.array(launcher).max(64, 'expected at most 64 launchers').default([]),
    defendedAssets: defendedAssetsSchema.optional(),
    /** This node's scripted operators (its own chain of command). */
    operatorCommands: z.array(command).max(10_000).default([]),
    broker: brokerSchema.optional(),
    /**
     * What this node releases to each partner, by partner id. Fail-closed: a partner not named
     * gets nothing.
     */
    release: z.record(nodeId(), releasePolicySchema).default({}),
  });
}
