import type { MqttLogEntry } from './mqtt-log.js';
import { payloadBytesOf } from './mqtt-log.js';

/** MQTT 5 user property set on every republished message. */
export const REPLAY_USER_PROPERTY = { replay: 'true' } as const;

/** What `replay --publish` selects and how fast. */
export interface ReplayWindow {
  /** Pace: N × the recorded pace (default 1). */
  readonly rate: number;
  /** First second of the run's clock to republish (inclusive; default the start). */
  readonly fromS?: number;
  /** Last second (exclusive; default the end). */
  readonly toS?: number;
}

/** One message to republish, `atUs` after the replay starts. */
export interface PlannedPublish {
  readonly atUs: number;
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A quality that says the data is fine becomes `replayed`; stale and suspect stay. */
function markQuality(holder: { [key: string]: Json }): void {
  if (holder.quality === 'good' || holder.quality === 'simulated') holder.quality = 'replayed';
}

/**
 * The payload as republished: the status (`online`/`offline`) gains `"replay": true`; every
 * `quality` that says `good` or `simulated` (device states, each track of a snapshot) becomes
 * `replayed`. Other payloads, and anything that is not a JSON object, go out unchanged (the MQTT 5
 * user property `replay=true` marks every message). Key order is kept, so it stays readable.
 */
export function markReplayed(topic: string, payload: Buffer): Buffer {
  let value: Json;
  try {
    value = JSON.parse(payload.toString('utf8')) as Json;
  } catch {
    return payload;
  }
  if (!isObject(value)) return payload;
  if (topic.endsWith('/status') && (value.state === 'online' || value.state === 'offline')) value.replay = true;
  markQuality(value);
  if (Array.isArray(value.tracks)) for (const track of value.tracks) if (isObject(track)) markQuality(track);
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/**
 * The messages of a window of the log, in recorded order, each due `atUs` after the replay
 * starts: (its time − the window's first message's time) / rate. Order is never changed, even
 * for equal times.
 */
export function planReplay(entries: readonly MqttLogEntry[], window: ReplayWindow): PlannedPublish[] {
  const fromUs = window.fromS === undefined ? -Infinity : window.fromS * 1e6;
  const toUs = window.toS === undefined ? Infinity : window.toS * 1e6;
  const selected = entries.filter((e) => e.tUs >= fromUs && e.tUs < toUs);
  const startUs = selected[0]?.tUs ?? 0;
  return selected.map((entry) => ({
    atUs: (entry.tUs - startUs) / window.rate,
    topic: entry.topic,
    payload: markReplayed(entry.topic, payloadBytesOf(entry)),
    qos: entry.qos,
    retain: entry.retain,
  }));
}
