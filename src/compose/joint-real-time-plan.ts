import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { Scenario } from '../config/scenario-schema.js';
import { LocalFrame } from '../geo/index.js';
import { nodeSeed } from './node-scenario.js';

type Raw = Record<string, unknown>;
type ScenarioNode = NonNullable<Scenario['nodes']>[number];

/** Where a node process of a real-time joint run gets its broker. */
export interface NodeBrokerPlan {
  readonly url: string;
  readonly username: string;
  /** The environment variable the node reads its broker password from. */
  readonly passwordEnv: string;
}

/** One node process of a real-time joint run: what it is given. */
export interface NodeProcessPlan {
  readonly nodeId: string;
  /** The node's single-node scenario file (its share of the world, its devices). */
  readonly scenarioFile: string;
  readonly scenarioText: string;
  /** The node's bench config file. */
  readonly configFile: string;
  readonly configText: string;
  readonly broker: NodeBrokerPlan;
  /** `<name>.<node>`: its run files in the output directory are `<base>.run`, `.summary.json`, … */
  readonly base: string;
}

/** Options of {@link planJointRealTime}. */
export interface JointRealTimePlanOptions {
  /** The bench config every node starts from (its control, links, simulator placement, …). */
  readonly configFile: string;
  readonly scenarioFile: string;
  readonly scenario: Scenario;
  /** Where the run files go (the config's output directory). */
  readonly outputDir: string;
  /** Where the generated scenarios and configs go. */
  readonly workDir: string;
  /** Each node's broker, by node id. */
  readonly brokers: ReadonlyMap<string, NodeBrokerPlan>;
  /** UDP ports of the nodes' shared sky (in-process simulators only), by node id. */
  readonly skyPorts: ReadonlyMap<string, number> | null;
}

/** Sharing timing of the node processes (as the two-node bench of hil-configs/joint/). */
const SHARING = { staleAfterS: 3, futureToleranceS: 2, maxAgeS: 30 };

/** A password for a generated broker login: 24 random bytes, base64url. */
export function generatedPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * What each node process of a joint scenario runs with, written by the caller: its share of the
 * world as a single-node scenario (the scenario's targets moved into the node's ENU frame, its
 * own radars, launchers, assets and operators, its own seed — as a one-process joint run gives
 * each node; the joint-only `joint.*` measurements left out) and its bench config (the given
 * config as this node: its id and site, its broker, its `sharing:` with each partner's public
 * key `<output>/keys/<partner>.node.pub.json`, its release policy towards each partner and, as
 * declared policy, the partner's release towards it; a shared sky between in-process simulators).
 * The files are JSON (valid YAML), in the given config's units. Throws on an unreadable config.
 */
export async function planJointRealTime(options: JointRealTimePlanOptions): Promise<NodeProcessPlan[]> {
  const rawConfig = (parseDocument(await readFile(options.configFile, 'utf8')).toJS() ?? {}) as Raw;
  const rawScenario = (parseDocument(await readFile(options.scenarioFile, 'utf8')).toJS() ?? {}) as Raw;
  const configDir = dirname(resolve(options.configFile));
  const name = options.scenarioFile.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  const rawNodes = (rawScenario['nodes'] ?? []) as Raw[];
  const nodes = options.scenario.nodes ?? [];
  const world = new LocalFrame(options.scenario.site ?? { latDeg: 0, lonDeg: 0, heightM: 0 });
  return nodes.map((node, i) => {
    const rawNode = rawNodes[i] ?? {};
    const base = `${name}.${node.id}`;
    const scenarioFile = join(options.workDir, `${base}.yaml`);
    const scenarioText = JSON.stringify(nodeScenarioRaw(rawScenario, rawNode, node, world), null, 2) + '\n';
    const broker = options.brokers.get(node.id)!;
    const partners = nodes.filter((p) => p.id !== node.id);
    const release = (rawNode['release'] ?? {}) as Record<string, Raw>;
    const simulator: Raw = { ...((rawConfig['simulator'] ?? {}) as Raw), enabled: true };
    const ports = options.skyPorts;
    if (ports !== null && (simulator['placement'] ?? 'in-process') === 'in-process')
      simulator['sharedSky'] = {
        port: ports.get(node.id)!,
        peers: partners.map((p) => `127.0.0.1:${ports.get(p.id)!}`),
      };
    const auth = rawConfig['auth'] as Raw | undefined;
    const keysDir = auth?.['keysDir'];
    const config: Raw = {
      ...rawConfig,
      node: { ...((rawConfig['node'] ?? {}) as Raw), id: node.id },
      site: node.site,
      scenario: scenarioFile,
      simulator,
      ...(auth === undefined
        ? {}
        : {
            auth: {
              ...auth,
              ...(typeof keysDir === 'string' && !isAbsolute(keysDir) ? { keysDir: resolve(configDir, keysDir) } : {}),
            },
          }),
      broker: { url: broker.url, username: broker.username, passwordEnv: broker.passwordEnv },
      sharing: {
        ...SHARING,
        partners: partners.map((p) => {
          const toPartner = release[p.id];
          const fromPartner = ((rawNodes[nodes.indexOf(p)]?.['release'] ?? {}) as Record<string, Raw>)[node.id];
          return {
            id: p.id,
            publicKey: join(options.outputDir, 'keys', `${p.id}.node.pub.json`),
            ...(toPartner === undefined ? {} : { release: toPartner }),
            ...(fromPartner === undefined ? {} : { declared: declaredOf(fromPartner) }),
          };
        }),
      },
      output: { ...((rawConfig['output'] ?? {}) as Raw), dir: options.outputDir },
    };
    return {
      nodeId: node.id,
      scenarioFile,
      scenarioText,
      configFile: join(options.workDir, `${base}.bench.yaml`),
      configText: JSON.stringify(config, null, 2) + '\n',
      broker,
      base,
    };
  });
}

/** A release policy as the receiver's declared policy: the same, less the sender's precision quanta. */
function declaredOf(release: Raw): Raw {
  const { positionQuantumM: _p, velocityQuantumMps: _v, ...declared } = release;
  return declared;
}

/** A node's single-node scenario, as written (see nodeScenarioOf: the same world, moved into the node's frame). */
function nodeScenarioRaw(raw: Raw, rawNode: Raw, node: ScenarioNode, world: LocalFrame): Raw {
  const here = new LocalFrame(node.site);
  const { nodes: _n, network: _w, site: _s, defendedAssets: _a, targets, measurements, seed: _seed, ...rest } = raw;
  const moved = ((targets ?? []) as Raw[]).map((target) => {
    const position = target['position'] as { eastM: number; northM: number; upM: number };
    const velocity = target['velocity'] as { eastMps: number; northMps: number; upMps: number };
    const p = here.enuFromFrame(world, position);
    const v = here.vectorFromFrame(world, { eastM: velocity.eastMps, northM: velocity.northMps, upM: velocity.upMps });
    return {
      ...target,
      position: { eastM: p.eastM, northM: p.northM, upM: p.upM },
      velocity: { eastMps: v.eastM, northMps: v.northM, upMps: v.upM },
    };
  });
  const own = ((measurements ?? []) as Raw[]).filter((m) => !String(m['metric'] ?? '').startsWith('joint.'));
  return {
    ...rest,
    seed: nodeSeed(raw['seed'] as number, node.id),
    targets: moved,
    radars: rawNode['radars'] ?? [],
    launchers: rawNode['launchers'] ?? [],
    operatorCommands: rawNode['operatorCommands'] ?? [],
    ...(rawNode['defendedAssets'] === undefined ? {} : { defendedAssets: rawNode['defendedAssets'] }),
    ...(own.length === 0 ? {} : { measurements: own }),
  };
}
