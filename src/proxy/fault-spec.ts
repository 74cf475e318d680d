import { FaultSpecError } from './fault-spec-error.js';

/** Which way bytes go through the proxy, seen from the controller (as in the simulator). */
export type ProxyDirection = 'to-host' | 'to-device';

/** The faults of one direction. Rates are probabilities in [0, 1]. */
export interface DirectionFaultSpec {
  /** Each byte is lost with this probability. */
  readonly drop: number;
  /** Each byte gets one random bit flipped with this probability. */
  readonly flip: number;
  /** Each complete frame (bytes up to and including a 0x00) is sent twice with this probability. */
  readonly dup: number;
  /** After each byte, a burst of 1..garbageMaxBytes random bytes is inserted with this probability. */
  readonly garbage: number;
  /** Largest garbage burst, bytes (default 16). */
  readonly garbageMaxBytes: number;
  /** Every chunk is held this long (mean), microseconds; order is kept. */
  readonly delayUs: number;
  /** Uniform jitter of the delay, ± microseconds. */
  readonly jitterUs: number;
}

/** The faults of both directions. */
export type FaultSpec = Readonly<Record<ProxyDirection, DirectionFaultSpec>>;

/** No faults: the proxy is a transparent cable. */
export const NO_FAULTS: DirectionFaultSpec = {
  drop: 0,
  flip: 0,
  dup: 0,
  garbage: 0,
  garbageMaxBytes: 16,
  delayUs: 0,
  jitterUs: 0,
};

const RATE_KEYS = ['drop', 'flip', 'dup', 'garbage'] as const;
const KNOWN = 'drop, flip, dup, garbage, garbage-max, delay';

/**
 * Parse `drop=0.01,flip=0.001,dup=0.01,delay=2ms±1ms,garbage=0.001` into per-direction faults.
 * An item applies to both directions unless its key names one: `drop:to-host=0.05`,
 * `delay:to-device=5ms`. Delays take `us`, `ms` or `s`; jitter after `±` (or `+-`). The empty
 * text means no faults. Throws FaultSpecError naming the item and what is wrong.
 */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: Record<ProxyDirection, { -readonly [K in keyof DirectionFaultSpec]: DirectionFaultSpec[K] }> = {
    'to-host': { ...NO_FAULTS },
    'to-device': { ...NO_FAULTS },
  };
  const seen = new Set<string>();
  for (const rawItem of text.split(',')) {
    const item = rawItem.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new FaultSpecError(`fault '${item}': expected KEY=VALUE (keys: ${KNOWN})`);
    const [key = '', direction] = item.slice(0, eq).trim().split(':');
    const value = item.slice(eq + 1).trim();
    if (direction !== undefined && direction !== 'to-host' && direction !== 'to-device') {
      throw new FaultSpecError(`fault '${item}': direction '${direction}' is not to-host or to-device`);
    }
    const directions: ProxyDirection[] = direction === undefined ? ['to-host', 'to-device'] : [direction];
    for (const d of directions) {
      if (seen.has(`${key}:${d}`)) throw new FaultSpecError(`fault '${item}': ${key} given twice for ${d}`);
      seen.add(`${key}:${d}`);
    }
    if ((RATE_KEYS as readonly string[]).includes(key)) {
      const rate = parseRate(item, value);
      for (const d of directions) spec[d][key as (typeof RATE_KEYS)[number]] = rate;
    } else if (key === 'garbage-max') {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > 4096) {
        throw new FaultSpecError(`fault '${item}': garbage-max must be a whole number of bytes from 1 to 4096`);
      }
      for (const d of directions) spec[d].garbageMaxBytes = n;
    } else if (key === 'delay') {
      const { delayUs, jitterUs } = parseDelay(item, value);
      for (const d of directions) Object.assign(spec[d], { delayUs, jitterUs });
    } else {
      throw new FaultSpecError(`fault '${item}': unknown fault '${key}' (known: ${KNOWN})`);
    }
  }
  return spec;
}

function parseRate(item: string, value: string): number {
  const rate = Number(value);
  if (value === '' || !/^[0-9.e+-]+$/i.test(value) || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new FaultSpecError(`fault '${item}': rate '${value}' is not a probability from 0 to 1`);
  }
  return rate;
}

function parseDelay(item: string, value: string): { delayUs: number; jitterUs: number } {
  const [meanText = '', jitterText, ...rest] = value.split(/±|\+-/);
  if (rest.length > 0) throw new FaultSpecError(`fault '${item}': expected delay=MEAN or delay=MEAN±JITTER`);
  const delayUs = parseDuration(item, meanText);
  const jitterUs = jitterText === undefined ? 0 : parseDuration(item, jitterText);
  if (jitterUs > delayUs) {
    throw new FaultSpecError(`fault '${item}': jitter ${jitterText} is larger than the delay ${meanText}`);
  }
  return { delayUs, jitterUs };
}

const UNIT_US: Readonly<Record<string, number>> = { us: 1, ms: 1_000, s: 1_000_000 };

function parseDuration(item: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(us|ms|s)$/.exec(text.trim());
  if (match === null) {
    throw new FaultSpecError(`fault '${item}': duration '${text}' is not a number with a unit (us, ms, s), e.g. 2ms`);
  }
  const us = Number(match[1]) * UNIT_US[match[2]!]!;
  if (us > 10_000_000) throw new FaultSpecError(`fault '${item}': duration '${text}' is above 10 s`);
  return us;
}
