/**
 * One unit per kind in bench configs and scenarios (docs/decisions/0030-one-unit-per-kind.md):
 * every duration a user writes is in seconds (`…S`). Internal code keeps its own units (`…Ms`,
 * `…Us`); the conversion happens here, at the schema boundary, and only here.
 *
 * Conversions are decimal shifts, not multiplications: `0.03` s is the decimal 0.03 moved three
 * places, 30 ms exactly (0.03 × 1000 in floating point is 30.000000000000004 for some values).
 */

/**
 * `value` × 10^`digits`, computed on the decimal text of `value` (its shortest round-trip form)
 * rather than in binary floating point: the result is the double nearest to the exact decimal
 * product, so `decimalShift(0.0002, 6)` is 200, never 199.99999999999997.
 */
export function decimalShift(value: number, digits: number): number {
  if (!Number.isFinite(value) || value === 0 || digits === 0) return value;
  const [mantissa, exponent = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent) + digits}`);
}

/** Seconds as written in a config → the internal unit `10^-digits` s (3: ms, 6: µs). */
export const fromSeconds = (seconds: number, digits: number): number => decimalShift(seconds, digits);

/**
 * A value in an internal unit (10^-digits s) written in seconds such that reading it back gives
 * exactly `value`: the decimal shift, or, for the rare value of 16–17 significant digits whose
 * shift does not round-trip, the nearest double that does. Undefined when none within a few
 * units in the last place does (never seen for a finite value; the caller reports it).
 */
export function toSecondsExactly(value: number, digits: number): number | undefined {
  const seconds = decimalShift(value, -digits);
  if (fromSeconds(seconds, digits) === value) return seconds;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, seconds);
  const bits = view.getBigInt64(0);
  for (let step = 1n; step <= 8n; step++) {
    for (const candidate of [bits - step, bits + step]) {
      view.setBigInt64(0, candidate);
      const near = view.getFloat64(0);
      if (Number.isFinite(near) && fromSeconds(near, digits) === value) return near;
    }
  }
  return undefined;
}

/**
 * Which fields of one config object are written in seconds: user-facing name → [internal name,
 * decimal digits from seconds to the internal unit]. The internal name is also the deprecated
 * name the field had before (accepted with a warning).
 */
export type UnitFields = Readonly<Record<string, readonly [internal: string, digits: number]>>;

/** `T` with the user-facing keys of `M` renamed to their internal names (optionality kept). */
export type Internal<T, M extends UnitFields> = T extends unknown
  ? { [K in keyof T as K extends keyof M ? M[K][0] : K]: T[K] }
  : never;

/**
 * A zod transform from the user-facing object (durations in seconds) to the internal one: each
 * field of `fields` renamed and converted; absent optional fields stay absent (so the canonical
 * JSON, and the config hash, of a config is what it was before the rename).
 */
export function toInternalUnits<const M extends UnitFields>(fields: M) {
  return <T extends object>(value: T): Internal<T, M> => {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const unit = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (unit === undefined) out[key] = field;
      else if (field !== undefined) out[unit[0]] = typeof field === 'number' ? fromSeconds(field, unit[1]) : field;
    }
    return out as Internal<T, M>;
  };
}
