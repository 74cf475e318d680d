import { z } from 'zod';
import { idString, isoTime, nameString, nodeSignature, payloadVersion, producerId } from './payload-primitives.js';

/** Present (true) only when `shieldlink replay --publish` republishes a recorded run. */
const replayFlag = z
  .literal(true)
  .optional()
  .describe('true when this is a recorded run republished by `shieldlink replay --publish`; absent live.');

/** How the bridge's outbound stream is doing (the degraded state, visible on MQTT once back). */
export const bridgeHealthPayload = z
  .strictObject({
    mode: z
      .enum(['live', 'catching-up'])
      .describe('`catching-up` while events spooled during an outage are still being published.'),
    protocol: z.enum(['3.1.1', '5']),
    degraded: z.array(nameString).describe('Active degradations, e.g. `catching-up`, `spool-overflow`; empty = none.'),
    outages: z.number().int().min(0).describe('Broker outages since this boot.'),
    spooledRecords: z.number().int().min(0).describe('Records waiting in the on-disk spool.'),
    droppedRecords: z
      .number()
      .int()
      .min(0)
      .describe('Records lost to spool overflow since boot (0 unless the disk failed).'),
    lastOutage: z
      .strictObject({
        startedAt: isoTime,
        endedAt: isoTime,
        spooledRecords: z.number().int().min(0).describe('Records that went to the spool during it.'),
      })
      .nullable(),
  })
  .meta({ id: 'BridgeHealth' });

/** A joint picture's partners as the node sees them (present only when the node shares). */
export const sharingStatusPayload = z
  .strictObject({
    alone: z.boolean().describe('true when no partner picture is live: the node goes on with its own sensors only.'),
    partners: z.record(
      idString,
      z.strictObject({
        state: z.enum(['never-heard', 'live', 'stale']),
        tracks: z.number().int().min(0).describe('Partner tracks held.'),
        silentForMs: z.number().int().min(0).nullable().describe('Since the last valid message; null: none yet.'),
        sent: z.number().int().min(0).describe('Releases published to this partner since boot.'),
        accepted: z.number().int().min(0).describe('Partner messages taken since boot.'),
        dropped: z
          .record(z.string().max(32), z.number().int().min(0))
          .describe('Partner messages dropped since boot, by reason (oversized, bad-signature, future-dated, ...).'),
      }),
    ),
    droppedUnknown: z.number().int().min(0).describe('Messages from no configured partner, dropped.'),
  })
  .meta({ id: 'SharingStatus' });

/** Engagement coordination with the partners as the node sees it (present only when the node coordinates). */
export const coordinationStatusPayload = z
  .strictObject({
    state: z
      .enum(['coordinated', 'coordination-lost', 'alone'])
      .describe(
        '`coordination-lost` when any partner heard before is silent: the node defends its own assets alone; `alone`: no partner heard yet.',
      ),
    partners: z.record(
      idString,
      z.strictObject({
        state: z.enum(['never-heard', 'coordinated', 'coordination-lost']),
        since: isoTime.nullable().describe('When the partner entered that state; null while never heard.'),
        claims: z.number().int().min(0).describe("The partner's claims held here."),
      }),
    ),
    holds: z.number().int().min(0).describe('Own tracks on which the node holds fire now because a partner engages.'),
    duplicateEngagements: z
      .strictObject({ linked: z.number().int().min(0), lost: z.number().int().min(0) })
      .describe('Duplicate engagements counted since boot, by link state at the FIREs.'),
  })
  .meta({ id: 'CoordinationStatus' });

/** Retained `status` while the node is up: the birth message (re-sent after every reconnect). */
export const statusOnlinePayload = z
  .strictObject({
    v: payloadVersion,
    state: z.literal('online'),
    nodeId: idString,
    bootId: idString.describe('Unique per process start; sequence numbers restart with it.'),
    softwareVersion: z.string().max(64),
    configHash: z.string().max(128).describe('Hash of the effective configuration (e.g. sha256 hex).'),
    startedAt: isoTime,
    publishedAt: isoTime,
    devices: z.array(z.strictObject({ deviceId: producerId, kind: nameString })),
    bridge: bridgeHealthPayload,
    sharing: sharingStatusPayload.optional(),
    coordination: coordinationStatusPayload.optional(),
    nodeSig: nodeSignature,
    replay: replayFlag,
  })
  .meta({ id: 'StatusOnline' });

/**
 * Retained `status` when the node is gone: `connection-lost` is the MQTT last will (set at
 * connect, published by the broker when the connection dies uncleanly, e.g. `kill -9`),
 * `shutdown` is published by a clean stop.
 */
export const statusOfflinePayload = z
  .strictObject({
    v: payloadVersion,
    state: z.literal('offline'),
    nodeId: idString,
    bootId: idString,
    reason: z.enum(['connection-lost', 'shutdown']),
    at: isoTime.nullable().describe('Wall time of a clean shutdown; null in the last will (unknown in advance).'),
    nodeSig: nodeSignature,
    replay: replayFlag,
  })
  .meta({ id: 'StatusOffline' });

export const statusPayload = z
  .discriminatedUnion('state', [statusOnlinePayload, statusOfflinePayload])
  .meta({ id: 'Status', title: 'shieldlink/v1/<node>/status (retained)' });

export type BridgeHealthPayload = z.infer<typeof bridgeHealthPayload>;
export type SharingStatusPayload = z.infer<typeof sharingStatusPayload>;
export type CoordinationStatusPayload = z.infer<typeof coordinationStatusPayload>;
export type StatusOnlinePayload = z.infer<typeof statusOnlinePayload>;
export type StatusOfflinePayload = z.infer<typeof statusOfflinePayload>;
export type StatusPayload = z.infer<typeof statusPayload>;
