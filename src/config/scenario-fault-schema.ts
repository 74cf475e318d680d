import { z } from 'zod';
import { toInternalUnits } from '../common/config-units.js';
import { FAULT_UNIT_FIELDS } from './config-unit-fields.js';

/**
 * Fault profiles of one simulated device (docs/decisions/0006-firmware-simulator.md: drop, flip, garbage burst, duplicate,
 * delay, silence, unplug, NAK-all, slow). Every fault has an optional window: it is active from
 * `atS` (scenario seconds, default 0) for `forS` seconds (default: until the end of the run).
 * Wire faults act on bytes between the device's UART and the link, in the `direction` given.
 */

const number = (what: string) =>
  z.number({ error: (issue) => (issue.input === undefined ? `required: ${what}` : `expected ${what}`) });
const probability = () =>
  number('a probability in [0, 1]')
    .min(0, 'expected a probability in [0, 1]')
    .max(1, 'expected a probability in [0, 1]');
const nonNegative = () => number('a number >= 0').min(0, 'expected a number >= 0');
const positive = () => number('a positive number').positive('expected a positive number');

/** Which way a wire fault acts: on what the device sends, on what it receives, or both. */
export const faultDirectionSchema = z.enum(['to-host', 'to-device', 'both'], {
  error: 'expected to-host, to-device or both',
});

const window = {
  /** Scenario time the fault starts, seconds (default 0). */
  atS: nonNegative().optional(),
  /** How long it lasts, seconds (default: to the end of the run, or until cleared). */
  forS: positive().optional(),
};
const wire = { ...window, direction: faultDirectionSchema.optional() };
const windowRequired = { atS: nonNegative(), forS: positive() };

/** NAK reasons a `nak-all` fault may use (a subset of the catalogue's NAK_REASONS). */
export const FAULT_NAK_REASONS = ['unspecified', 'busy', 'bad-state', 'unsupported'] as const;

export const deviceFaultSchema = z
  .discriminatedUnion(
    'kind',
    [
      /** Each byte is lost with probability `rate`. */
      z.strictObject({ kind: z.literal('drop'), rate: probability(), ...wire }),
      /** Each byte has one random bit inverted with probability `rate`. */
      z.strictObject({ kind: z.literal('bit-flip'), rate: probability(), ...wire }),
      /** Bursts of random bytes (Poisson, `ratePerS` bursts per second), between minBytes and maxBytes long. */
      z.strictObject({
        kind: z.literal('garbage'),
        ratePerS: positive(),
        minBytes: z.number().int('expected an integer').min(1, 'expected at least 1 byte').optional(),
        maxBytes: z.number().int('expected an integer').min(1, 'expected at least 1 byte').max(4096).optional(),
        ...wire,
      }),
      /** Added one-way delay (s) plus uniform jitter in [0, jitterS]; byte order is kept. */
      z.strictObject({
        kind: z.literal('latency'),
        latencyS: nonNegative(),
        jitterS: nonNegative().optional(),
        ...wire,
      }),
      /** Each frame is delivered twice with probability `rate` (same bytes, same seq). */
      z.strictObject({ kind: z.literal('duplicate'), rate: probability(), ...wire }),
      /** The device sends nothing (it still receives and runs). */
      z.strictObject({ kind: z.literal('silence'), ...windowRequired }),
      /** The link is unplugged at `atS` and plugged back after `forS`. */
      z.strictObject({ kind: z.literal('disconnect'), ...windowRequired }),
      /** Every acknowledged frame is answered NAK with `reason` (default unspecified), nothing executes. */
      z.strictObject({ kind: z.literal('nak-all'), reason: z.enum(FAULT_NAK_REASONS).optional(), ...window }),
      /** Answers (ACK/NAK, IDENT, TIME_SYNC_RESPONSE) leave `delayS` seconds (+ jitter) late. */
      z.strictObject({ kind: z.literal('slow'), delayS: nonNegative(), jitterS: nonNegative().optional(), ...window }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? 'expected kind drop, bit-flip, garbage, latency, duplicate, silence, disconnect, nak-all or slow'
          : undefined,
    },
  )
  .transform(toInternalUnits(FAULT_UNIT_FIELDS));

/** One fault of one device, as written in a scenario (or injected at run time), in internal units (ms). */
export type DeviceFault = z.infer<typeof deviceFaultSchema>;
export type DeviceFaultKind = DeviceFault['kind'];
export type FaultDirection = z.infer<typeof faultDirectionSchema>;
