import { z } from 'zod';

/**
 * Building blocks shared by every MQTT payload schema. Every payload carries `v: 1`: a consumer
 * that sees another version must not guess (the topic root `shieldlink/v1` changes with it).
 */
export const PAYLOAD_VERSION = 1 as const;
export const payloadVersion = z.literal(PAYLOAD_VERSION).describe('Payload format version.');

/**
 * Identifiers that appear in payloads and (percent-encoded, see `TopicTree`) in topic levels:
 * node, device, engagement, track and command ids, operator key ids.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const idString = z.string().regex(ID_PATTERN).describe('Identifier: [A-Za-z0-9][A-Za-z0-9._:-]{0,63}.');

/**
 * Ids chosen by producers (devices, tracks, engagements, launchers): any non-empty string up to
 * 128 characters in payloads; in topic levels they are percent-encoded (`encodeTopicLevel`).
 */
export const producerId = z.string().min(1).max(128);

/** Lower-case names chosen by producers (device states, link states, engagement states). */
export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,47}$/;
export const nameString = z
  .string()
  .regex(NAME_PATTERN)
  .describe('Lower-case kebab name (producer values are folded to this form).');

/**
 * Data quality of a device state or a track (docs/mqtt.md §devices/<device-id>/state). `replayed`:
 * republished from a recording by `shieldlink replay --publish` (in place of `good` or `simulated`).
 */
export const QUALITIES = ['good', 'stale', 'suspect', 'simulated', 'replayed'] as const;
export const quality = z.enum(QUALITIES);
export type Quality = z.infer<typeof quality>;

/** Wall-clock instant, ISO 8601 UTC with milliseconds (for humans and cross-host ordering). */
export const isoTime = z.iso.datetime({ offset: false }).describe('Wall-clock time, ISO 8601 UTC.');

/**
 * A number measured or counted by a producer; `null` when the producer's value was not finite
 * (JSON has no NaN/Infinity) or unknown.
 */
export const measured = z.number().nullable();

/** A flat map of counters or gauges. */
export const numberMap = z.record(z.string().max(64), measured);

/** Small, flat, free-form facts a producer adds (never nested, never large). */
export const detailMap = z.record(
  z.string().max(64),
  z.union([z.string().max(256), z.number(), z.boolean(), z.null()]),
);

/** Host monotonic microseconds (the node's one clock; epoch = its start). */
export const hostUs = z.number().describe('Host monotonic time, microseconds since the node clock epoch.');

/** 1, 2, 3, ... without gaps, per node and boot. */
export const sequenceNumber = z.number().int().min(1);

/**
 * The node's Ed25519 signature over the canonical JSON of the payload without this member
 * (docs/mqtt.md §Node signatures), base64url. Absent only from payloads of nodes without a key.
 */
export const nodeSignature = z
  .string()
  .regex(/^[A-Za-z0-9_-]{86}$/)
  .optional()
  .describe("Node's Ed25519 signature (base64url) over the canonical JSON of this payload without nodeSig.");
