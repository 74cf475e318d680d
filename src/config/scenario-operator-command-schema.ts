import { z } from 'zod';

/**
 * Operator commands a scenario scripts. The host executes each at `atS` scenario
 * seconds through the same authorized command path as commands from the network (two operators
 * for FREE and ARM, audit); the simulator never sees them. The schema only checks shape and
 * references: whether enough operators signed is the host's decision, so a scenario may
 * deliberately script a command that must be rejected.
 */

const operators = z
  .array(z.string().min(1, 'expected a non-empty operator id'), { error: 'expected a list of operator ids' })
  .min(1, 'expected at least one operator');
const atS = z
  .number({ error: (issue) => (issue.input === undefined ? 'required: scenario seconds' : 'expected seconds >= 0') })
  .min(0, 'expected seconds >= 0');
const base = {
  atS,
  operators,
  /** Request id echoed in results and the audit log; default `scenario-<index>`. */
  requestId: z.string().min(1).optional(),
};

export const WEAPONS_STATUS_VALUES = ['hold', 'tight', 'free'] as const;
export const RADAR_MODE_VALUES = ['standby', 'search', 'silent'] as const;

export const operatorCommandSchema = z.discriminatedUnion(
  'command',
  [
    /** Weapons control status: hold (no engagement), tight (hostile only), free (hostile and unknown). */
    z.strictObject({
      command: z.literal('set-weapons-status'),
      value: z.enum(WEAPONS_STATUS_VALUES, { error: 'expected hold, tight or free' }),
      ...base,
    }),
    /** ARM one launcher. */
    z.strictObject({ command: z.literal('arm'), launcher: z.string().min(1), ...base }),
    /** SAFE one launcher (or every launcher when omitted). */
    z.strictObject({ command: z.literal('safe'), launcher: z.string().min(1).optional(), ...base }),
    /** Change a radar's mode. */
    z.strictObject({
      command: z.literal('set-radar-mode'),
      radar: z.string().min(1),
      mode: z.enum(RADAR_MODE_VALUES, { error: 'expected standby, search or silent' }),
      ...base,
    }),
    /**
     * Manual engagement: the host track nearest `position` (within `radiusM`, default 2000 m) at
     * that time, optionally with a given launcher. What an operator does by pointing at a display.
     */
    z.strictObject({
      command: z.literal('engage'),
      position: z.strictObject({ eastM: z.number(), northM: z.number(), upM: z.number() }),
      radiusM: z.number().positive('expected a positive number').optional(),
      launcher: z.string().min(1).optional(),
      ...base,
    }),
    /** Cease fire: drop every pending engagement and send ABORT for pending FIREs (launcher optional). */
    z.strictObject({ command: z.literal('hold-fire'), launcher: z.string().min(1).optional(), ...base }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'expected command set-weapons-status, arm, safe, set-radar-mode, engage or hold-fire'
        : undefined,
  },
);

/** One scripted operator command. */
export type OperatorCommand = z.infer<typeof operatorCommandSchema>;
export type OperatorCommandName = OperatorCommand['command'];
