import { writeFile } from 'node:fs/promises';
import type { Scenario } from '../../config/scenario-schema.js';
import type { JointRunResult } from '../../compose/run-joint.js';
import { LocalFrame } from '../../geo/index.js';
import { softwareVersion } from '../../compose/software-version.js';
import { type JointReportInput, type JointReportNode, renderJointReport } from '../../report/index.js';
import type { RunPictureQuality } from '../../session/run-picture-quality.js';
import { wallClockIso } from '../../time/real-clock.js';

type ScenarioNode = NonNullable<Scenario['nodes']>[number];

/** A defended asset as a circle: its centre and radius, or a polygon's centroid and farthest vertex. */
function assetCircle(asset: {
  id: string;
  center?: { eastM: number; northM: number } | undefined;
  radiusM?: number | undefined;
  polygon?: readonly { eastM: number; northM: number }[] | undefined;
}): JointReportNode['assets'][number] {
  if (asset.polygon !== undefined && asset.polygon.length > 0) {
    const eastM = asset.polygon.reduce((a, p) => a + p.eastM, 0) / asset.polygon.length;
    const northM = asset.polygon.reduce((a, p) => a + p.northM, 0) / asset.polygon.length;
    const radiusM = Math.max(...asset.polygon.map((p) => Math.hypot(p.eastM - eastM, p.northM - northM)));
    return { id: asset.id, eastM, northM, radiusM };
  }
  return {
    id: asset.id,
    eastM: asset.center?.eastM ?? 0,
    northM: asset.center?.northM ?? 0,
    radiusM: asset.radiusM ?? 0,
  };
}

const figures = (q: RunPictureQuality): JointReportNode['alone'] => ({
  gospaMeanM: q.gospa?.mean ?? null,
  completeness: q.siap.completeness,
  ambiguity: q.siap.ambiguity,
  spuriousness: q.siap.spuriousness,
});

/** The joint report's input from a joint run and its scenario (each node's devices from its `nodes:` entry). */
export async function jointReportInput(result: JointRunResult, scenario: Scenario): Promise<JointReportInput> {
  const byId = new Map<string, ScenarioNode>((scenario.nodes ?? []).map((n) => [n.id, n]));
  const frames = new Map((scenario.nodes ?? []).map((n) => [n.id, new LocalFrame(n.site)]));
  // Every other node's radars, mapped from its ENU into `nodeId`'s (WGS-84 through ECEF).
  const partnerRadars = (nodeId: string): JointReportNode['partnerRadars'] =>
    (scenario.nodes ?? [])
      .filter((p) => p.id !== nodeId)
      .flatMap((p) =>
        p.radars.map((r) => {
          const at = frames.get(nodeId)!.enuFromFrame(frames.get(p.id)!, r.position);
          return { nodeId: p.id, id: r.id, eastM: at.eastM, northM: at.northM, maxRangeM: r.maxRangeM };
        }),
      );
  return {
    scenario: result.scenario,
    mode: result.mode,
    simulatedS: result.simulatedS,
    generatedAt: wallClockIso(),
    softwareVersion: await softwareVersion(),
    nodes: result.nodes.map((n) => {
      const node = byId.get(n.nodeId);
      return {
        nodeId: n.nodeId,
        radars: (node?.radars ?? []).map((r) => ({
          id: r.id,
          eastM: r.position.eastM,
          northM: r.position.northM,
          maxRangeM: r.maxRangeM,
        })),
        launchers: (node?.launchers ?? []).map((l) => ({
          id: l.id,
          eastM: l.position.eastM,
          northM: l.position.northM,
          maxRangeM: l.envelope.maxRangeM,
        })),
        assets: (node?.defendedAssets ?? []).map(assetCircle),
        partnerRadars: node === undefined ? [] : partnerRadars(n.nodeId),
        plan: n.plan,
        alone: figures(n.own),
        joint: figures(n.joint),
        fusedPairs: n.counters.fusedPairs,
        partnerFeedMeasurements: n.counters.partnerFeedMeasurements,
      };
    }),
  };
}

/** Write the joint report of a joint run (nodes side by side) to `file`. */
export async function writeJointReport(result: JointRunResult, scenario: Scenario, file: string): Promise<void> {
  await writeFile(file, renderJointReport(await jointReportInput(result, scenario)));
}
