import type { JointNodeResult, JointRunResult } from './run-joint.js';

/**
 * One node's joint-picture figures, as the `joint.*` measurement paths read them (a scenario with
 * `nodes:` may put limits on them; each node of the run must meet each limit). GOSPA in m (mean over
 * the run), SIAP ratios, first-detection gains in s, NEES dimensionless, speedup ×.
 */
export interface JointMeasures {
  readonly gospa: { readonly mean: number | null };
  readonly siap: {
    readonly completeness: number | null;
    readonly ambiguity: number | null;
    readonly spuriousness: number | null;
    readonly positionalAccuracyM: number | null;
  };
  /** The node's own-radar picture (what it would hold alone). */
  readonly alone: {
    readonly gospa: { readonly mean: number | null };
    readonly siap: { readonly completeness: number | null };
  };
  /** Alone minus joint GOSPA mean (> 0: the partner helps). */
  readonly gospaGainM: number | null;
  /** Joint GOSPA mean minus the better node's alone (≤ 0: the joint picture is at least as good as the best node). */
  readonly gospaVsBestAloneM: number | null;
  readonly firstDetection: {
    /** Targets held earlier through the partner, or only through it. */
    readonly earlierOrOnlyThroughPartner: number;
    /** Mean (alone − joint) first-held time over targets held both ways, s (0 when none). */
    readonly meanGainS: number;
  };
  readonly fusedPairs: number;
  readonly fusedNees: { readonly mean: number | null; readonly inBand95: number | null };
  /** Simulated over wall seconds of the whole joint run (every node). */
  readonly speedup: number | null;
}

/** The `joint` figures of `node` within `result`. */
export function jointMeasuresOf(node: JointNodeResult, result: JointRunResult): JointMeasures {
  const jointMean = node.joint.gospa?.mean ?? null;
  const aloneMean = node.own.gospa?.mean ?? null;
  const aloneMeans = result.nodes.map((n) => n.own.gospa?.mean).filter((m): m is number => typeof m === 'number');
  const bestAlone = aloneMeans.length === 0 ? null : Math.min(...aloneMeans);
  const both = node.firstDetection.filter((d) => d.ownS !== null && d.jointS !== null);
  return {
    gospa: { mean: jointMean },
    siap: {
      completeness: node.joint.siap.completeness,
      ambiguity: node.joint.siap.ambiguity,
      spuriousness: node.joint.siap.spuriousness,
      positionalAccuracyM: node.joint.siap.positionalAccuracyM,
    },
    alone: { gospa: { mean: aloneMean }, siap: { completeness: node.own.siap.completeness } },
    gospaGainM: aloneMean === null || jointMean === null ? null : aloneMean - jointMean,
    gospaVsBestAloneM: bestAlone === null || jointMean === null ? null : jointMean - bestAlone,
    firstDetection: {
      earlierOrOnlyThroughPartner: node.firstDetection.filter(
        (d) => d.jointS !== null && (d.ownS === null || d.jointS < d.ownS),
      ).length,
      meanGainS: both.length === 0 ? 0 : both.reduce((a, d) => a + (d.ownS! - d.jointS!), 0) / both.length,
    },
    fusedPairs: node.counters.fusedPairs,
    fusedNees: { mean: node.fusedNees.mean, inBand95: node.fusedNees.inBand95 },
    speedup: result.wallS > 0 ? result.simulatedS / result.wallS : null,
  };
}
