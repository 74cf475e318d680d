import {
  MAX_SHARED_TRACKS_PER_MESSAGE,
  SHARED_QUALITIES,
  SHARED_TRACKS_KIND,
  type SharedTracksPayload,
} from './shared-tracks-schema.js';

/**
 * A hand-written fast check of a parsed shared-tracks message, for the intake's hot path: true
 * only for a value the schema (`sharedTracksPayload`) accepts as it is. It is conservative, not
 * complete — it may answer false for a value the schema accepts (a timestamp on the 29th to
 * 31st of a month, for one) — so the intake uses it as `fast || schema`: a message it passes is
 * taken as parsed, any other goes to the schema, which accepts or gives the typed reason. The
 * property tests hold it to that (true ⇒ the schema accepts and returns the same value).
 */
export function passesSharedTracksFastCheck(raw: unknown): raw is SharedTracksPayload {
  if (!isRecord(raw)) return false;
  let keys = 0;
  for (const key in raw) {
    if (!MESSAGE_KEYS.has(key)) return false;
    keys++;
  }
  if (keys !== MESSAGE_KEYS.size) return false;
  if (raw.v !== 1 || raw.kind !== SHARED_TRACKS_KIND) return false;
  if (!isId(raw.nodeId) || !isId(raw.to) || !isId(raw.bootId)) return false;
  const seq = raw.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return false;
  if (!isUtcMs(raw.sentAt)) return false;
  if (typeof raw.nodeSig !== 'string' || !SIGNATURE.test(raw.nodeSig)) return false;
  const tracks = raw.tracks;
  if (!Array.isArray(tracks) || tracks.length > MAX_SHARED_TRACKS_PER_MESSAGE) return false;
  for (let i = 0; i < tracks.length; i++) if (!isEntry(tracks[i])) return false;
  return true;
}

const MESSAGE_KEYS = new Set(['v', 'kind', 'nodeId', 'to', 'bootId', 'seq', 'sentAt', 'tracks', 'nodeSig']);
const ENTRY_KEYS = new Set(['trackId', 'validAt', 'ecefM', 'ecefMps', 'covariance', 'identity', 'quality', 'pedigree']);
const PEDIGREE_KEYS = new Set(['node', 'sensors', 'fused']);
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const NAME = /^[a-z][a-z0-9-]{0,47}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;
/** Days 01–28 only: every month has them (later days go to the schema's own check). */
const UTC_MS = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const QUALITIES: ReadonlySet<unknown> = new Set(SHARED_QUALITIES);

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

function isId(value: unknown): boolean {
  return typeof value === 'string' && ID.test(value);
}

function isUtcMs(value: unknown): boolean {
  return typeof value === 'string' && UTC_MS.test(value);
}

function inRange(value: unknown, limit: number): boolean {
  return typeof value === 'number' && value >= -limit && value <= limit;
}

function isTriple(value: unknown, limit: number): boolean {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    inRange(value[0], limit) &&
    inRange(value[1], limit) &&
    inRange(value[2], limit)
  );
}

function isEntry(entry: unknown): boolean {
  if (!isRecord(entry)) return false;
  for (const key in entry) if (!ENTRY_KEYS.has(key) || entry[key] === undefined) return false;
  if (!isId(entry.trackId) || !isUtcMs(entry.validAt) || !isTriple(entry.ecefM, 1e8)) return false;
  if ('ecefMps' in entry && !isTriple(entry.ecefMps, 1e5)) return false;
  if ('covariance' in entry) {
    const covariance = entry.covariance;
    if (!Array.isArray(covariance) || covariance.length !== 21) return false;
    for (let i = 0; i < 21; i++) if (!inRange(covariance[i], 1e16)) return false;
  }
  if ('identity' in entry && !(typeof entry.identity === 'string' && NAME.test(entry.identity))) return false;
  if ('quality' in entry && !QUALITIES.has(entry.quality)) return false;
  const pedigree = entry.pedigree;
  if (!isRecord(pedigree)) return false;
  for (const key in pedigree) if (!PEDIGREE_KEYS.has(key) || pedigree[key] === undefined) return false;
  if (!isId(pedigree.node) || typeof pedigree.fused !== 'boolean') return false;
  if ('sensors' in pedigree) {
    const sensors = pedigree.sensors;
    if (!Array.isArray(sensors) || sensors.length < 1 || sensors.length > 16) return false;
    for (let i = 0; i < sensors.length; i++) if (!isId(sensors[i])) return false;
  }
  return true;
}
