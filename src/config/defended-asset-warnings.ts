import type { DefendedAssetInput } from './defended-asset-schema.js';

/** A launcher as far as coverage goes: where it is and its envelope. */
export interface CoverageLauncher {
  readonly id: string;
  readonly position: { readonly eastM: number; readonly northM: number };
  readonly envelope: { readonly minRangeM: number; readonly maxRangeM: number };
}

/** A problem that does not make a config invalid but that its user must see. */
export interface ConfigWarning {
  readonly path: string;
  readonly message: string;
}

/**
 * Assets no launcher can defend: every point of the asset (its enclosing circle on the ground)
 * is beyond `maxRangeM` or inside `minRangeM` of every launcher. A warning, not an error: a bench
 * may show an undefended asset on purpose. `prefix` is the path of the asset list.
 */
export function uncoveredAssetWarnings(
  assets: readonly DefendedAssetInput[],
  launchers: readonly CoverageLauncher[],
  prefix: string,
): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  assets.forEach((asset, i) => {
    const { eastM, northM, radiusM } = enclosingCircle(asset);
    const covered = launchers.some((l) => {
      const d = Math.hypot(eastM - l.position.eastM, northM - l.position.northM);
      return d - radiusM <= l.envelope.maxRangeM && d + radiusM >= l.envelope.minRangeM;
    });
    if (!covered)
      warnings.push({
        path: `${prefix}[${i}]`,
        message:
          launchers.length === 0
            ? `asset '${asset.id}' is defended by no launcher (none configured)`
            : `asset '${asset.id}' lies outside every launcher envelope (${launchers.map((l) => l.id).join(', ')})`,
      });
  });
  return warnings;
}

function enclosingCircle(asset: DefendedAssetInput): { eastM: number; northM: number; radiusM: number } {
  if (asset.polygon === undefined)
    return { eastM: asset.center!.eastM, northM: asset.center!.northM, radiusM: asset.radiusM! };
  const n = asset.polygon.length;
  const eastM = asset.polygon.reduce((s, p) => s + p.eastM, 0) / n;
  const northM = asset.polygon.reduce((s, p) => s + p.northM, 0) / n;
  const radiusM = Math.max(...asset.polygon.map((p) => Math.hypot(p.eastM - eastM, p.northM - northM)));
  return { eastM, northM, radiusM };
}
