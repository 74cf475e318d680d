import type { DetailMap, NumberMap } from './bridge-source.js';

/**
 * Producer data made safe for JSON payloads: JSON has no NaN or Infinity (they would silently
 * become `null` anyway, so do it explicitly), keys and strings are bounded so one odd value cannot
 * blow up a message or break its schema.
 */
export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function sanitizeNumberMap(map: NumberMap | undefined): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  if (map === undefined) return out;
  for (const key of Object.keys(map)) out[key.slice(0, 64)] = finiteOrNull(map[key]);
  return out;
}

export function sanitizeDetailMap(map: DetailMap | undefined): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  if (map === undefined) return out;
  for (const key of Object.keys(map)) {
    const value = map[key];
    out[key.slice(0, 64)] =
      typeof value === 'string'
        ? value.slice(0, 256)
        : typeof value === 'number'
          ? finiteOrNull(value)
          : typeof value === 'boolean'
            ? value
            : null;
  }
  return out;
}

/** Wall-clock milliseconds → ISO 8601 UTC. */
export function isoOf(wallMs: number): string {
  return new Date(wallMs).toISOString();
}

/**
 * Fold a producer's name (state, link state, kind, IFF class) to the payload form
 * `[a-z][a-z0-9-]{0,47}`: lower case, other characters become `-`, `x-` in front when it does
 * not start with a letter, `unknown` when empty.
 */
export function nameOf(value: string): string {
  if (/^[a-z][a-z0-9-]{0,47}$/.test(value)) return value;
  let name = value.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (name.length === 0) return 'unknown';
  if (!/^[a-z]/.test(name)) name = `x-${name}`;
  return name.slice(0, 48);
}

/** Bound a producer id to the payload form (1..128 characters). */
export function idOf(value: string): string {
  return value.length === 0 ? '_' : value.slice(0, 128);
}
