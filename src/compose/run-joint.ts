import type { JointPlanSample } from './joint-plan-trace.js';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeKey, type NodePublicKey } from '../bridge/node-key.js';
import type { LoadedBenchConfig } from '../config/load-bench-config.js';
import { pictureQualitySettings } from '../config/scenario-picture-quality-schema.js';
import { scenarioNetworkSchema } from '../config/scenario-nodes-schema.js';
import type { Scenario } from '../config/scenario-schema.js';
import { type PictureSample } from '../session/picture-sampler.js';
import {
  type RunPictureQuality,
  type TruthTargetSample,
  pictureFrames,
  runPictureQuality,
} from '../session/run-picture-quality.js';
import { sharingConfigSchema } from '../sharing/index.js';
import { LocalFrame } from '../geo/index.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { bootIdFor } from './boot-id.js';
import { coordinationFor } from './coordination-for.js';
import { type JointOutcome, type JointOutcomeInput, jointOutcome } from './joint-outcomes.js';
import { JointCoordination, type JointCoordinationSummary } from './joint-coordination.js';
import { type DirectedLinkCounters, InterNodeLink } from './inter-node-link.js';
import { type FusedTrackNees, fusedTrackNees } from './joint-nees.js';
import { type JointNodeCounters, JointNode, partnerFeedId } from './joint-node.js';
import { nodeBenchConfig, nodeScenarioOf } from './node-scenario.js';
import { startBenchRun } from './start-bench-run.js';
import { type BenchRun, type RunResult, VIRTUAL_WALL_EPOCH_MS } from './run-bench-types.js';

/** Options of {@link runJoint}. */
export interface RunJointOptions {
  /** The bench config every node runs with (as itself: its id and site). In-process simulator. */
  readonly loaded: LoadedBenchConfig;
  readonly scenarioFile: string;
  /** The validated joint scenario (with `nodes:`). */
  readonly scenario: Scenario;
  /** Each node's outputs go here as `<name>.<node>.run`, `.truth.jsonl`, `.ledger`. */
  readonly outputDir: string;
  /** Stop after this many simulated seconds (default the scenario's duration). */
  readonly durationS?: number;
  readonly log?: (line: string) => void;
  /** Called about every simulated second. */
  readonly onProgress?: (simulatedS: number, durationS: number) => void;
  readonly interrupt?: Promise<void>;
  /** Whether partner-only joint tracks reach each core as a track feed (default true). */
  readonly feedCore?: boolean;
  /**
   * `linked` (default): shared picture and engagement coordination; `picture-only`: shared
   * picture, each node decides alone; `unlinked`: no inter-node message at all.
   */
  readonly mode?: JointMode;
  /** A node holds fire for a partner's claim until this long before a threat's predicted impact on its own asset, ms (default {@link DEFAULT_MUST_FIRE_LEAD_MS}). */
  readonly mustFireLeadMs?: number;
}

/** How the nodes of a joint run are linked. */
export type JointMode = 'linked' | 'picture-only' | 'unlinked';
export const JOINT_MODES: readonly JointMode[] = ['linked', 'picture-only', 'unlinked'];

/** Default lead of the must-fire-by instant before a predicted impact on an own asset, ms. */
export const DEFAULT_MUST_FIRE_LEAD_MS = 6000;

/** When each target was first held, per picture (scenario seconds; null: never). */
export interface FirstDetection {
  readonly targetId: string;
  readonly ownS: number | null;
  readonly jointS: number | null;
}

/** One node's results of a joint run. */
export interface JointNodeResult {
  readonly nodeId: string;
  readonly run: RunResult;
  /** The node's own-radar picture (what it would hold alone) against truth. */
  readonly own: RunPictureQuality;
  /** The node's joint picture against truth. */
  readonly joint: RunPictureQuality;
  readonly firstDetection: readonly FirstDetection[];
  /** Position NEES of the fused joint tracks against truth. */
  readonly fusedNees: FusedTrackNees;
  readonly counters: JointNodeCounters;
  /** Partner messages accepted and dropped (by reason), per partner. */
  readonly intake: Record<string, { accepted: number; dropped: Record<string, number> }>;
  /** Engagement coordination at this node (null unless the run is `linked`). */
  readonly coordination: JointCoordinationSummary | null;
  /** The joint picture's tracks by source (own, partner, fused) over the run, for plan views. */
  readonly plan: readonly JointPlanSample[];
}

/** The result of a joint run. */
export interface JointRunResult {
  readonly scenario: string;
  readonly mode: JointMode;
  /** The shield's outcome over all nodes (one sky). */
  readonly outcome: JointOutcome;
  readonly nodes: readonly JointNodeResult[];
  readonly network: Record<string, DirectedLinkCounters>;
  readonly simulatedS: number;
  readonly wallS: number;
  readonly interrupted: boolean;
}

/**
 * Run every node of a joint scenario in one process, in virtual time, in lockstep on one
 * VirtualClock: each node a full bench (its simulator seeing the one world through its own radars,
 * drivers, core, operators, recorder, ledger), linked by a deterministic in-process
 * {@link InterNodeLink} carrying the same signed shared-track bytes MQTT would. Each node's
 * recording is a function of config + scenario only (byte-identical run to run) and replays on its
 * own (`replay --verify`): what a partner told its core is a recorded input of the core.
 */
export async function runJoint(options: RunJointOptions): Promise<JointRunResult> {
  const log = options.log ?? (() => undefined);
  const { scenario } = options;
  const mode = options.mode ?? 'linked';
  const nodes = scenario.nodes ?? [];
  if (nodes.length < 2) throw new Error('a joint run needs a scenario with at least two nodes');
  const wallStartNs = process.hrtime.bigint();
  const clock = new VirtualClock();
  const wallClock = (): number => VIRTUAL_WALL_EPOCH_MS + clock.nowUs() / 1000;
  const network = scenario.network ?? scenarioNetworkSchema.parse({});
  const link = new InterNodeLink(clock, {
    latencyUs: Math.round(network.latencyMs * 1000),
    jitterUs: Math.round(network.jitterMs * 1000),
    lossProbability: network.lossProbability,
    partitions: network.partitions.map((w) => ({
      fromUs: w.fromS * 1e6,
      toUs: w.toS * 1e6,
      ...(w.between === undefined ? {} : { between: w.between }),
    })),
    seed: scenario.seed,
  });
  // Simulated nodes' keys derive from the scenario seed: signatures (and so recordings) repeat.
  const keys = new Map(
    nodes.map((n) => [
      n.id,
      NodeKey.fromSeed(n.id, createHmac('sha256', `shieldlink-simulated-node/${scenario.seed}`).update(n.id).digest()),
    ]),
  );
  const publicKeys = new Map<string, NodePublicKey>([...keys].map(([id, k]) => [id, k.public]));
  const name = options.scenarioFile.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  const settings = pictureQualitySettings(scenario.pictureQuality);

  const started: {
    node: (typeof nodes)[number];
    run: BenchRun;
    joint: JointNode;
    coordination: JointCoordination | null;
    files: { recordFile: string; truthFile: string };
  }[] = [];
  for (const node of nodes) {
    const partners = nodes.filter((p) => p.id !== node.id);
    const sharing = sharingConfigSchema.parse({
      partners: partners.map((p) => ({
        id: p.id,
        publicKey: `(simulated ${p.id})`,
        ...(node.release[p.id] === undefined ? {} : { release: node.release[p.id] }),
        // What the partner releases to us is what it declared: anything outside is dropped on arrival.
        ...(p.release[node.id] === undefined
          ? {}
          : {
              declared: {
                identities: p.release[node.id]!.identities,
                geofence: p.release[node.id]!.geofence,
                maxRateHz: p.release[node.id]!.maxRateHz,
                fields: p.release[node.id]!.fields,
              },
            }),
      })),
    });
    const holder: { run?: BenchRun } = {};
    const joint = new JointNode({
      nodeId: node.id,
      site: node.site,
      clock,
      wallClock,
      nodeKey: keys.get(node.id)!,
      partnerKeys: new Map(partners.map((p) => [p.id, publicKeys.get(p.id)!])),
      sharing,
      radars: new Map(
        node.radars.map((r) => [
          r.id,
          {
            position: [r.position.eastM, r.position.northM, r.position.upM] as const,
            rangeSigmaM: r.rangeSigmaM,
            angleSigmaDeg: r.angleSigmaDeg,
            velocitySigmaMps: r.velocitySigmaMps,
          },
        ]),
      ),
      link,
      emit: (input) => holder.run?.session.inputs.emit(input),
      nextSeq: (sourceId) => holder.run?.session.inputs.nextSeq(sourceId) ?? 0,
      releaseQuality: 'simulated',
      samplePeriodUs: settings.samplePeriodS * 1e6,
      ...(options.feedCore === undefined ? {} : { feedCore: options.feedCore }),
      linked: mode !== 'unlinked',
    });
    const base = join(options.outputDir, `${name}.${node.id}`);
    const files = { recordFile: `${base}.run`, truthFile: `${base}.truth.jsonl` };
    const run = await startBenchRun({
      loaded: nodeBenchConfig(options.loaded, node),
      scenarioFile: options.scenarioFile,
      scenario: nodeScenarioOf(scenario, node),
      virtualTime: true,
      clock,
      ...files,
      broker: 'none',
      observers: [joint],
      extraRadarIds: partners.map((p) => partnerFeedId(p.id)),
      log: (line) => log(`${node.id}: ${line}`),
      ...(options.durationS === undefined ? {} : { durationS: options.durationS }),
    });
    holder.run = run;
    let coordination: JointCoordination | null = null;
    if (mode === 'linked') {
      const partnerIds = partners.map((p) => p.id);
      coordination = new JointCoordination({
        nodeId: node.id,
        partnerIds,
        agent: coordinationFor({
          nodeKey: keys.get(node.id)!,
          partnerKeys: new Map(partners.map((p) => [p.id, publicKeys.get(p.id)!])),
          partnerIds,
          frame: new LocalFrame(node.site),
          bootId: bootIdFor(node.id, scenario.seed, true),
          killProbability: run.controlConfig.doctrine.killProbability,
        }),
        clock,
        wallClock,
        link,
        threats: () => joint.threatViews(options.mustFireLeadMs ?? DEFAULT_MUST_FIRE_LEAD_MS),
        emit: (input) => run.session.inputs.emit(input),
        nextSeq: (sourceId) => run.session.inputs.nextSeq(sourceId),
      });
      joint.route(coordination);
      run.session.addObserver(coordination);
      coordination.start();
    }
    joint.start();
    started.push({ node, run, joint, coordination, files });
  }

  // One sky, simulated once per node: a target one node's interceptor destroys ends in every world.
  for (const s of started)
    s.run.world?.onKill((targetId, atUs) => {
      for (const other of started) if (other !== s) other.run.world?.destroyElsewhere(targetId, atUs);
    });
  const endUs = Math.max(...started.map((s) => s.run.endUs));
  const startUs = Math.min(...started.map((s) => s.run.startUs));
  let stopRequested = false;
  let interrupted = false;
  void options.interrupt?.then(() => (stopRequested = true));
  for (const s of started) void s.run.stopRequest.then(() => (stopRequested = true));
  for (let t = startUs + 1_000_000; ; t += 1_000_000) {
    await clock.runUntil(Math.min(t, endUs));
    options.onProgress?.((clock.nowUs() - startUs) / 1e6, (endUs - startUs) / 1e6);
    if (clock.nowUs() >= endUs) break;
    if (stopRequested) {
      interrupted = true;
      break;
    }
  }
  for (const s of started) {
    s.joint.stop();
    s.coordination?.stop();
  }
  link.stop();
  const results: JointNodeResult[] = [];
  const outcomeInputs: JointOutcomeInput[] = [];
  for (const s of started) {
    const run = await s.run.finish(interrupted);
    const truth = await readTruth(s.files.truthFile);
    const score = (samples: readonly PictureSample[]): RunPictureQuality =>
      runPictureQuality(samples, truth, s.run.truthEpochHostUs, settings).summary;
    const intake: JointNodeResult['intake'] = {};
    for (const [id, p] of Object.entries(s.joint.sharingLink.status().partners))
      intake[id] = { accepted: p.intake.accepted, dropped: { ...(p.intake.dropped as Record<string, number>) } };
    results.push({
      nodeId: s.node.id,
      run,
      own: score(s.joint.ownPictureSamples()),
      joint: score(s.joint.jointPictureSamples()),
      firstDetection: firstDetections(
        s.joint.ownPictureSamples(),
        s.joint.jointPictureSamples(),
        truth,
        s.run.truthEpochHostUs,
        settings.associationRadiusM,
      ),
      fusedNees: fusedTrackNees(
        s.joint.fusedTrackSamples(),
        truth,
        s.run.truthEpochHostUs,
        settings.associationRadiusM,
      ),
      counters: s.joint.counters(),
      intake,
      coordination: s.coordination?.summary() ?? null,
      plan: s.joint.planTrace.samples(),
    });
    outcomeInputs.push({
      nodeId: s.node.id,
      summary: run.summary,
      truth: truth as unknown as JointOutcomeInput['truth'],
      firstHeldS: new Map(results.at(-1)!.firstDetection.map((d) => [d.targetId, d.ownS])),
      duplicates: s.coordination?.summary().counters.duplicateEngagements ?? null,
    });
  }
  return {
    scenario: scenario.name ?? name,
    mode,
    outcome: jointOutcome(outcomeInputs),
    nodes: results,
    network: link.counters(),
    simulatedS: (Math.min(clock.nowUs(), endUs) - startUs) / 1e6,
    wallS: Number(process.hrtime.bigint() - wallStartNs) / 1e9,
    interrupted,
  };
}

async function readTruth(file: string): Promise<TruthTargetSample[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as TruthTargetSample);
}

/**
 * For each target, the first sampled instant (truth seconds) at which a picture held a track
 * within `radiusM` of it, in the node's own picture and in its joint picture.
 */
export function firstDetections(
  own: readonly PictureSample[],
  joint: readonly PictureSample[],
  truth: readonly TruthTargetSample[],
  truthEpochHostUs: number,
  radiusM: number,
): FirstDetection[] {
  const first = (samples: readonly PictureSample[]): Map<string, number> => {
    const out = new Map<string, number>();
    for (const frame of pictureFrames(samples, truth, truthEpochHostUs)) {
      for (const target of frame.truths) {
        if (out.has(target.id)) continue;
        const held = frame.tracks.some(
          (t) =>
            Math.hypot(
              t.position[0]! - target.position[0]!,
              t.position[1]! - target.position[1]!,
              t.position[2]! - target.position[2]!,
            ) <= radiusM,
        );
        if (held) out.set(target.id, frame.tS - truthEpochHostUs / 1e6);
      }
    }
    return out;
  };
  const ownFirst = first(own);
  const jointFirst = first(joint);
  const ids = [
    ...new Set(truth.filter((r) => r.kind === 'target' && typeof r.targetId === 'string').map((r) => r.targetId!)),
  ].sort();
  return ids.map((targetId) => ({
    targetId,
    ownS: ownFirst.get(targetId) ?? null,
    jointS: jointFirst.get(targetId) ?? null,
  }));
}
