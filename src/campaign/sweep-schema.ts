import { z } from 'zod';

/**
 * A sweep file (YAML or JSON): which scenario, how many seeds per point, and the parameters to
 * vary. A parameter names a place in the scenario (`path`) and the values it takes:
 *
 * - `path` is dotted with indices: `radars[*].rangeSigmaM` (every radar), `launchers[0].rounds`,
 *   `launchers[id=launcher-2].rounds` (by id), `launchers.length` (keep the first N entries:
 *   launcher count, raid size).
 * - `values: [...]` — the values of a grid axis, or the set a random sample picks from;
 *   `range: {min, max, integer}` — uniform in [min, max] (random sampling only).
 *
 * `sampling` is `grid` (the cross product of every parameter's values, in file order, the last
 * parameter varying fastest) or `{random: {samples, seed}}` (seeded: the same file always gives
 * the same points).
 */
const parameterSchema = z
  .strictObject({
    name: z
      .string({ error: 'expected a name' })
      .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'expected a name of letters, digits, _ . - (max 64)'),
    path: z.string({ error: 'expected a scenario path, e.g. radars[*].rangeSigmaM' }).min(1),
    values: z
      .array(z.union([z.number(), z.string(), z.boolean()]), { error: 'expected a list of values' })
      .min(1, 'expected at least one value')
      .optional(),
    range: z
      .strictObject({
        min: z.number({ error: 'expected a number' }),
        max: z.number({ error: 'expected a number' }),
        integer: z.boolean().default(false),
      })
      .refine((r) => r.min <= r.max, { message: 'expected min <= max', path: ['max'] })
      .optional(),
  })
  .refine((p) => (p.values === undefined) !== (p.range === undefined), {
    message: 'expected exactly one of values or range',
  });

export const sweepSchema = z
  .strictObject({
    /** Scenario file, relative to the sweep file (`--scenario` overrides). */
    scenario: z.string().min(1).optional(),
    /** Bench config, relative to the sweep file (`--config` overrides). */
    config: z.string().min(1).optional(),
    /** Seeds per point (`--runs` overrides); default 1. */
    runs: z.number().int('expected an integer').positive('expected a positive integer').max(1_000_000).optional(),
    /** Simulated seconds per run (`--duration` overrides); default the scenario's. */
    durationS: z.number().positive('expected a positive number').optional(),
    parameters: z.array(parameterSchema).min(1, 'expected at least one parameter'),
    sampling: z
      .union([
        z.literal('grid'),
        z.strictObject({
          random: z.strictObject({
            samples: z.number().int().positive('expected a positive integer').max(100_000),
            /** Default: the scenario's seed. */
            seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
          }),
        }),
      ])
      .default('grid'),
  })
  .superRefine((sweep, ctx) => {
    const names = new Set<string>();
    sweep.parameters.forEach((p, i) => {
      if (names.has(p.name))
        ctx.addIssue({ code: 'custom', path: ['parameters', i, 'name'], message: `duplicate name '${p.name}'` });
      names.add(p.name);
      if (sweep.sampling === 'grid' && p.values === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['parameters', i, 'range'],
          message: 'a grid needs values (range is for random sampling)',
        });
    });
  });

/** A validated sweep file. */
export type Sweep = z.output<typeof sweepSchema>;
/** One parameter of a sweep. */
export type SweepParameter = Sweep['parameters'][number];
/** One value a parameter takes at a point. */
export type ParameterValue = number | string | boolean;
