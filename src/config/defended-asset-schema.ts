import { z } from 'zod';

/**
 * Defended assets and the engagement doctrine, shared by bench configs (`defendedAssets`,
 * `control.doctrine`) and scenarios (`defendedAssets`, `doctrine`). Every field is optional or
 * bounded; defaults are applied by the control core (src/control/control-config.ts), so existing
 * configs keep their meaning and their config hash.
 */

const number = (what: string) =>
  z.number({ error: (issue) => (issue.input === undefined ? `required: ${what}` : `expected ${what}`) });
const bounded = (min: number, max: number, unit: string) =>
  number(`a number in [${min}, ${max}] ${unit}`)
    .min(min, `expected at least ${min} ${unit}`)
    .max(max, `expected at most ${max} ${unit}`);
const coordinate = () => bounded(-1e7, 1e7, 'm');
const identifier = () =>
  z
    .string({ error: 'expected an identifier' })
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected lowercase letters, digits, - or _ (max 64)');

/** Most assets per config, vertices per polygon, keep-out zones per asset. */
export const MAX_DEFENDED_ASSETS = 64;
export const MAX_POLYGON_VERTICES = 64;
export const MAX_KEEP_OUT_ZONES = 16;

const groundPoint = () =>
  z.strictObject({ eastM: coordinate(), northM: coordinate() }, { error: 'expected {eastM, northM}' });

/** A ground area: a circle, or a simple polygon (vertices in order, not closed). */
const areaShape = {
  /** Circle centre (a named point is a circle around it). */
  center: groundPoint().optional(),
  radiusM: bounded(1, 1e6, 'm').optional(),
  polygon: z
    .array(groundPoint())
    .min(3, 'expected a polygon of at least 3 vertices')
    .max(MAX_POLYGON_VERTICES, `expected at most ${MAX_POLYGON_VERTICES} vertices`)
    .optional(),
};

function oneShape(area: { center?: unknown; radiusM?: unknown; polygon?: unknown }, ctx: z.RefinementCtx): void {
  const circle = area.center !== undefined || area.radiusM !== undefined;
  if (circle && area.polygon !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['polygon'],
      message: 'expected either center + radiusM or polygon, not both',
    });
  else if (!circle && area.polygon === undefined)
    ctx.addIssue({ code: 'custom', path: [], message: 'expected center + radiusM (a circle) or polygon' });
  else if (circle && (area.center === undefined || area.radiusM === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [area.center === undefined ? 'center' : 'radiusM'],
      message: 'a circle needs both center and radiusM',
    });
}

/** A zone where intercept debris must not fall: no intercept is planned above it. */
export const keepOutZoneSchema = z.strictObject(areaShape).superRefine(oneShape);

/**
 * A defended asset: a named ground area (circle or polygon) with an altitude band, a value
 * (criticality, any positive scale) and optional keep-out zones.
 */
export const defendedAssetSchema = z
  .strictObject({
    id: identifier(),
    ...areaShape,
    /** Altitude band of the asset, m: a crossing (non-ballistic) target threatens it inside this band. */
    altitudeBandM: z
      .strictObject({ minM: bounded(-1000, 1e5, 'm'), maxM: bounded(-1000, 1e5, 'm') })
      .refine((b) => b.minM <= b.maxM, { message: 'expected minM <= maxM' })
      .optional(),
    /** Criticality: threat value = value × probability of impact inside the asset. Default 1. */
    value: bounded(0.001, 1e6, '').optional(),
    keepOut: z
      .array(keepOutZoneSchema)
      .max(MAX_KEEP_OUT_ZONES, `expected at most ${MAX_KEEP_OUT_ZONES} keep-out zones`)
      .optional(),
  })
  .superRefine(oneShape);

export const defendedAssetsSchema = z
  .array(defendedAssetSchema)
  .max(MAX_DEFENDED_ASSETS, `expected at most ${MAX_DEFENDED_ASSETS} defended assets`)
  .superRefine((assets, ctx) => {
    const seen = new Set<string>();
    assets.forEach((a, i) => {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate asset id '${a.id}'` });
      seen.add(a.id);
    });
  });

/** Weapon-assignment doctrines: see docs/decisions/0016-threat-evaluation-and-weapon-assignment.md. */
export const ASSIGNMENT_DOCTRINES = ['expected-value', 'earliest-impact'] as const;
export type AssignmentDoctrine = (typeof ASSIGNMENT_DOCTRINES)[number];

/** Firing doctrines: see docs/decisions/0033-salvo-firing.md. */
export const FIRING_DOCTRINES = ['shoot-look-shoot', 'salvo'] as const;

/** How launchers are assigned to threats. Every field optional (core defaults). */
export const doctrineSchema = z.strictObject({
  /** `expected-value` (default): maximise expected surviving asset value; `earliest-impact`: the baseline order. */
  assignment: z.enum(ASSIGNMENT_DOCTRINES, { error: `expected one of ${ASSIGNMENT_DOCTRINES.join(', ')}` }).optional(),
  /** Most rounds committed against one threat. Default 4. */
  maxRoundsPerThreat: z.number().int('expected an integer').min(1).max(255).optional(),
  /** Rounds (all launchers together) held back for asset threats: no round on a threat to no asset below this. Default 0. */
  reserveRounds: z.number().int('expected an integer').min(0).max(10_000).optional(),
  /** Single-shot kill probability the assignment plans with. Default 0.8. */
  killProbability: z
    .number()
    .gt(0, 'expected a probability in (0, 1]')
    .max(1, 'expected a probability in (0, 1]')
    .optional(),
  /** Moves of the local search after the greedy assignment, per tick. Default 64. */
  maxLocalSearchMoves: z.number().int('expected an integer').min(0).max(10_000).optional(),
  /**
   * `shoot-look-shoot` (default): one round at a time, again only after an assessed miss;
   * `salvo`: a second round while the first flies, when the time line leaves no second look.
   */
  firing: z.enum(FIRING_DOCTRINES, { error: `expected one of ${FIRING_DOCTRINES.join(', ')}` }).optional(),
});

export type DefendedAssetInput = z.output<typeof defendedAssetSchema>;
export type DoctrineInput = z.output<typeof doctrineSchema>;
