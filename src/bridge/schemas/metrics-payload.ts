import { z } from 'zod';
import { hostUs, idString, isoTime, numberMap, payloadVersion } from './payload-primitives.js';

/** The bridge's own figures: queue depths and counters since boot. */
export const bridgeMetricsPayload = z
  .strictObject({
    connection: z.enum(['connected', 'connecting', 'stopped']),
    mode: z.enum(['live', 'catching-up']),
    queuedRecords: z.number().int().min(0).describe('Events/results/audit records in memory, not yet sent.'),
    inflightRecords: z.number().int().min(0).describe('Sent, waiting for PUBACK.'),
    spooledRecords: z.number().int().min(0),
    spoolBytes: z.number().int().min(0),
    publishedRecords: z.number().int().min(0),
    ackedRecords: z.number().int().min(0),
    spooledTotal: z.number().int().min(0).describe('Records ever written to the spool.'),
    droppedRecords: z.number().int().min(0),
    stateMessages: z.number().int().min(0).describe('Device state, track and metrics messages published.'),
    coalescedUpdates: z.number().int().min(0).describe('State updates replaced by a newer one before publication.'),
    outages: z.number().int().min(0),
    connects: z.number().int().min(0),
    commandsReceived: z.number().int().min(0),
    commandsRejected: z.number().int().min(0),
    commandsPending: z.number().int().min(0),
    commandsSuppressed: z
      .number()
      .int()
      .min(0)
      .describe('Rejected commands and foreign publishes over the audit budget (counted, not recorded one by one).'),
    foreignPublishes: z
      .number()
      .int()
      .min(0)
      .describe("Messages on the node's retained topics it did not publish (each one re-asserted or cleared)."),
  })
  .meta({ id: 'BridgeMetrics' });

/** `metrics`: loop timing, link counters, bridge queue depths; published periodically. */
export const metricsPayload = z
  .strictObject({
    v: payloadVersion,
    nodeId: idString,
    bootId: idString,
    hostTimeUs: hostUs,
    publishedAt: isoTime,
    loop: numberMap.describe('Control loop figures, e.g. tick lateness percentiles, overruns.'),
    links: z.record(z.string().max(128), numberMap).describe('Counters per device link.'),
    bridge: bridgeMetricsPayload,
  })
  .meta({ id: 'Metrics', title: 'shieldlink/v1/<node>/metrics' });

export type BridgeMetricsPayload = z.infer<typeof bridgeMetricsPayload>;
export type MetricsPayload = z.infer<typeof metricsPayload>;
