import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JointMode, type JointRunResult, runJoint } from '../../src/compose/run-joint.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { loadScenario } from '../../src/config/load-scenario.js';
import type { Scenario } from '../../src/config/scenario-schema.js';

const CONFIG = 'hil-configs/sim.yaml';

/** One joint run in virtual time, its outputs in a fresh directory. */
export async function runMode(
  file: string,
  mode: JointMode,
): Promise<{ outputDir: string; scenario: Scenario; result: JointRunResult }> {
  const loaded = await loadBenchConfig(CONFIG);
  const scenario = await loadScenario(file);
  const outputDir = await mkdtemp(join(tmpdir(), `sl-jcoord-${mode}-`));
  return { outputDir, scenario, result: await runJoint({ loaded, scenario, scenarioFile: file, outputDir, mode }) };
}

/**
 * A joint run judged from the simulator's truth logs alone (no figure of the run's own), over
 * every node (one sky): which hostiles were destroyed, which hit a defended asset of the node in
 * whose world they landed (each node's assets are circles in its own frame, as are its truth
 * positions), every launch, and the duplicate engagements — pairs of interceptors of different
 * nodes whose closest approach was to the same target, each launched before the other's closest
 * approach.
 */
export interface TruthJudgement {
  readonly killed: ReadonlySet<string>;
  /** Hostiles that impacted inside an asset of the node whose world they hit. */
  readonly assetLeakers: ReadonlySet<string>;
  /** Hostiles that impacted anywhere. */
  readonly impacted: ReadonlySet<string>;
  readonly launches: number;
  readonly duplicates: readonly { readonly targetId: string; readonly interceptors: readonly [string, string] }[];
}

interface TruthLine {
  kind: string;
  tUs: number;
  targetId?: string;
  iff?: string;
  interceptorId?: string;
  atUs?: number | null;
  position?: { eastM: number; northM: number };
}

export async function judgeFromTruth(
  outputDir: string,
  scenario: Scenario,
  result: JointRunResult,
): Promise<TruthJudgement> {
  const killed = new Set<string>();
  const assetLeakers = new Set<string>();
  const impacted = new Set<string>();
  const hostile = new Set(scenario.targets.filter((t) => t.iff === 'hostile').map((t) => t.id));
  const flights: { node: string; interceptor: string; targetId: string; fromUs: number; toUs: number }[] = [];
  let launches = 0;
  for (const n of result.nodes) {
    const node = scenario.nodes!.find((x) => x.id === n.nodeId)!;
    const circles = (node.defendedAssets ?? []).map((a) => ({ ...a.center!, radiusM: a.radiusM! }));
    const text = await readFile(join(outputDir, `${scenario.name}.${n.nodeId}.truth.jsonl`), 'utf8');
    const launchUs = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      const r = JSON.parse(line) as TruthLine;
      if (r.kind === 'launch' && r.interceptorId !== undefined) {
        launches++;
        launchUs.set(r.interceptorId, r.tUs);
      }
      if (r.targetId === undefined || !hostile.has(r.targetId)) continue;
      if (r.kind === 'kill') killed.add(r.targetId);
      if (r.kind === 'impact') {
        impacted.add(r.targetId);
        const p = r.position!;
        if (circles.some((c) => Math.hypot(p.eastM - c.eastM, p.northM - c.northM) <= c.radiusM))
          assetLeakers.add(r.targetId);
      }
      if (r.kind === 'closest-approach' && r.interceptorId !== undefined)
        flights.push({
          node: n.nodeId,
          interceptor: r.interceptorId,
          targetId: r.targetId,
          fromUs: launchUs.get(r.interceptorId)!,
          toUs: typeof r.atUs === 'number' ? r.atUs : r.tUs,
        });
    }
  }
  const duplicates: { targetId: string; interceptors: [string, string] }[] = [];
  for (let i = 0; i < flights.length; i++)
    for (let j = i + 1; j < flights.length; j++) {
      const a = flights[i]!;
      const b = flights[j]!;
      if (a.node !== b.node && a.targetId === b.targetId && a.fromUs < b.toUs && b.fromUs < a.toUs)
        duplicates.push({ targetId: a.targetId, interceptors: [a.interceptor, b.interceptor] });
    }
  return { killed, assetLeakers, impacted, launches, duplicates };
}
