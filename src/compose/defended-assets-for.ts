import type { DefendedAssetInput, DoctrineInput } from '../config/defended-asset-schema.js';
import {
  DEFAULT_ASSET_CEILING_M,
  type DefendedAssetConfig,
  type DoctrineConfig,
  type GroundArea,
} from '../control/index.js';

/** An area as written (`center` + `radiusM`, or `polygon`) → the core's GroundArea. */
export function groundAreaOf(area: {
  readonly center?: { readonly eastM: number; readonly northM: number } | undefined;
  readonly radiusM?: number | undefined;
  readonly polygon?: readonly { readonly eastM: number; readonly northM: number }[] | undefined;
}): GroundArea {
  if (area.polygon !== undefined)
    return { kind: 'polygon', vertices: area.polygon.map((v) => ({ eastM: v.eastM, northM: v.northM })) };
  return { kind: 'circle', eastM: area.center!.eastM, northM: area.center!.northM, radiusM: area.radiusM! };
}

/** Defended assets of a bench config and its scenario (config's first), as the core takes them. */
export function defendedAssetsFor(
  ...lists: readonly (readonly DefendedAssetInput[] | undefined)[]
): DefendedAssetConfig[] {
  return lists.flatMap((list) =>
    (list ?? []).map((a) => ({
      id: a.id,
      area: groundAreaOf(a),
      minAltitudeM: a.altitudeBandM?.minM ?? 0,
      maxAltitudeM: a.altitudeBandM?.maxM ?? DEFAULT_ASSET_CEILING_M,
      value: a.value ?? 1,
      keepOut: (a.keepOut ?? []).map(groundAreaOf),
    })),
  );
}

/** The doctrine: bench config's, then the scenario's field by field, then command-line overrides. */
export function doctrineFor(
  config: DoctrineInput | undefined,
  scenario: DoctrineInput | undefined,
  assignmentOverride?: DoctrineConfig['assignment'],
  firingOverride?: DoctrineConfig['firing'],
): Partial<DoctrineConfig> {
  const merged: Partial<DoctrineConfig> = {};
  for (const source of [config, scenario]) {
    if (source === undefined) continue;
    for (const [key, value] of Object.entries(source)) {
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
  }
  return {
    ...merged,
    ...(assignmentOverride === undefined ? {} : { assignment: assignmentOverride }),
    ...(firingOverride === undefined ? {} : { firing: firingOverride }),
  };
}
