import { createHash } from 'node:crypto';
import type { LoadedBenchConfig } from '../config/load-bench-config.js';
import { hashCanonical } from '../config/load-bench-config.js';
import type { Scenario, ScenarioNode } from '../config/scenario-schema.js';
import { LocalFrame } from '../geo/index.js';

/**
 * One node's share of a joint scenario, as a single-node scenario its simulator runs: the world's
 * targets moved from the world frame (ENU of the scenario's `site`) into the node's own ENU frame
 * (exactly, through ECEF: a straight constant-velocity flight is the same line in every frame; a
 * ballistic one is flown under each frame's own "down", which differs by the angle between the
 * sites' verticals — about 0.3° per 30 km), the node's own radars, launchers, assets and operators,
 * and a seed of its own (derived from the scenario seed and the node id: two nodes' sensors never
 * share a noise stream).
 */
export function nodeScenarioOf(scenario: Scenario, node: ScenarioNode): Scenario {
  const world = new LocalFrame(scenario.site ?? { latDeg: 0, lonDeg: 0, heightM: 0 });
  const here = new LocalFrame(node.site);
  const { nodes: _nodes, network: _network, site: _site, defendedAssets: _assets, ...rest } = scenario;
  const targets = scenario.targets.map((target) => {
    const p = here.enuFromFrame(world, target.position);
    const v = here.vectorFromFrame(world, {
      eastM: target.velocity.eastMps,
      northM: target.velocity.northMps,
      upM: target.velocity.upMps,
    });
    return {
      ...target,
      position: { eastM: p.eastM, northM: p.northM, upM: p.upM },
      velocity: { eastMps: v.eastM, northMps: v.northM, upMps: v.upM },
    };
  });
  return {
    ...rest,
    seed: nodeSeed(scenario.seed, node.id),
    targets,
    radars: node.radars,
    launchers: node.launchers,
    operatorCommands: node.operatorCommands,
    ...(node.defendedAssets === undefined ? {} : { defendedAssets: node.defendedAssets }),
  };
}

/** A node's own seed: the first 48 bits of SHA-256(`<seed>/<node id>`). */
export function nodeSeed(seed: number, nodeId: string): number {
  return createHash('sha256').update(`${seed}/${nodeId}`).digest().readUIntBE(0, 6);
}

/** The bench config a node runs with: the given one, as this node (its id and site). */
export function nodeBenchConfig(loaded: LoadedBenchConfig, node: ScenarioNode): LoadedBenchConfig {
  const config = { ...loaded.config, node: { ...loaded.config.node, id: node.id }, site: node.site };
  return { file: loaded.file, config, configHash: hashCanonical(config), resolvePath: loaded.resolvePath };
}
