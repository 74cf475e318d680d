import type { AssetView, GroundAreaView, ThreatPicture } from '../bridge/index.js';
import type { DefendedAssetConfig, GroundArea, ThreatSnapshot } from '../control/index.js';

function areaView(area: GroundArea): GroundAreaView {
  return area.kind === 'circle'
    ? { kind: 'circle', eastM: area.eastM, northM: area.northM, radiusM: area.radiusM }
    : { kind: 'polygon', vertices: area.vertices.map((v) => ({ eastM: v.eastM, northM: v.northM })) };
}

/** The defended assets as the `threats` topic declares them. */
export function assetViews(assets: readonly DefendedAssetConfig[]): AssetView[] {
  return assets.map((a) => ({
    assetId: a.id,
    value: a.value,
    minAltitudeM: a.minAltitudeM,
    maxAltitudeM: a.maxAltitudeM,
    area: areaView(a.area),
    keepOut: a.keepOut.map(areaView),
  }));
}

/** The core's threat snapshot as the bridge's threat picture (ids as strings). Pure. */
export function threatPicture(
  nowUs: number,
  threats: readonly ThreatSnapshot[],
  assets: readonly DefendedAssetConfig[],
): ThreatPicture {
  return {
    hostTimeUs: nowUs,
    assets: assetViews(assets),
    threats: threats.map((t) => ({
      trackId: String(t.trackId),
      iff: t.iff,
      kind: t.kind,
      ippEastM: t.ippEastM,
      ippNorthM: t.ippNorthM,
      ippVarEastM2: t.ippVarEastM2,
      ippCovM2: t.ippCovM2,
      ippVarNorthM2: t.ippVarNorthM2,
      impactAtHostUs: Number.isFinite(t.impactAtHostUs) ? t.impactAtHostUs : null,
      threatValue: t.threatValue,
      assets: t.assets,
      assignment:
        t.assignment === null
          ? null
          : {
              engagementId: String(t.assignment.engagementId),
              launcherId: t.assignment.launcherId,
              state: t.assignment.state,
              interceptAtHostUs: t.assignment.interceptAtHostUs,
            },
    })),
  };
}
