import { z } from 'zod';
import type { RunSpec } from './run-spec.js';

/** Largest config or scenario text a run spec may carry. */
export const MAX_SPEC_TEXT_BYTES = 4 * 1024 * 1024;

const fileName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'expected a plain file name (letters, digits, _ . -)')
  .refine((n) => !n.includes('..'), 'expected a plain file name');
const text = z.string().max(MAX_SPEC_TEXT_BYTES, `expected at most ${MAX_SPEC_TEXT_BYTES} characters`);

/**
 * A run spec as it arrives from a queue (anyone with access to the Redis can add jobs): every
 * field checked, names that become file names restricted to plain names (no path), texts bounded.
 */
export const runSpecSchema = z.strictObject({
  campaignId: z.string().regex(/^[0-9a-f]{16}$/, 'expected a campaign id'),
  key: z.string().regex(/^p\d{1,6}-r\d{1,7}$/, 'expected a run key like p0-r12'),
  point: z.number().int().min(0),
  runIndex: z.number().int().min(0),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  configName: fileName,
  configText: text,
  scenarioName: fileName,
  scenarioText: text,
  durationS: z.number().positive().nullable(),
  keepRecording: z.boolean(),
});

/** A job's data that is not a run spec: never retried (it would fail the same way). */
export class InvalidRunSpecError extends Error {
  readonly code = 'invalid-run-spec';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRunSpecError';
  }
}

/** Check untrusted data is a RunSpec; throws InvalidRunSpecError naming the fields. */
export function parseRunSpec(data: unknown): RunSpec {
  const result = runSpecSchema.safeParse(data);
  if (!result.success)
    throw new InvalidRunSpecError(
      `not a campaign run: ${result.error.issues.map((i) => `${i.path.join('.') || '(job)'}: ${i.message}`).join('; ')}`,
    );
  return result.data;
}
