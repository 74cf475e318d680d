import type { ReferenceIssue } from './bench-config-references.js';
import { MAX_NODE_DISTANCE_M } from './scenario-nodes-schema.js';
import { scenarioReferenceIssues } from './scenario-references.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Mean earth radius, m: only for the coarse site-distance bound. */
const EARTH_RADIUS_M = 6_371_000;

/**
 * Checks of a joint scenario's `nodes:` and `network:` that relate fields to each other: a world
 * `site` is given; the world's radars, launchers, operators and assets belong to nodes (none at
 * the top level); at least two nodes with unique ids; each node's devices checked like a
 * single-node scenario's (unique ids, envelopes, commands naming its own devices, times within
 * the duration); a release only towards another node of the scenario; each site within
 * {@link MAX_NODE_DISTANCE_M} of the world origin; partition windows inside the run, naming
 * known nodes. Works on raw data; never throws.
 */
export function scenarioNodeIssues(data: Record<string, unknown>): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const issue = (path: (string | number)[], message: string): void => void issues.push({ path, message });
  const nodes = list(data['nodes']);
  if (data['nodes'] === undefined) {
    issue(['network'], 'a network links nodes: declare nodes: (or drop network:)');
    return issues;
  }
  if (nodes.length < 2) issue(['nodes'], 'expected at least two nodes (a single node needs no nodes: section)');
  const site = isObject(data['site']) ? data['site'] : undefined;
  if (site === undefined) issue(['site'], 'required with nodes: the WGS-84 origin of the world the targets fly in');
  for (const key of ['radars', 'launchers', 'operatorCommands'] as const) {
    if (list(data[key]).length > 0)
      issue(
        [key],
        `with nodes:, ${key} belong to a node (nodes[].${key}): each node sees the world only through its own`,
      );
  }
  if (data['defendedAssets'] !== undefined) issue(['defendedAssets'], 'with nodes:, defended assets belong to a node');
  const ids = nodes.map((n) => (isObject(n) ? str(n['id']) : undefined));
  const known = new Set(ids.filter((id): id is string => id !== undefined));
  ids.forEach((id, i) => {
    if (id !== undefined && ids.indexOf(id) !== i) issue(['nodes', i, 'id'], `duplicate node id '${id}'`);
  });
  const durationS = num(data['durationS']);
  nodes.forEach((node, i) => {
    if (!isObject(node)) return;
    const own = scenarioReferenceIssues({
      durationS,
      radars: node['radars'],
      launchers: node['launchers'],
      operatorCommands: node['operatorCommands'],
    });
    for (const sub of own) issue(['nodes', i, ...sub.path], sub.message);
    const release = isObject(node['release']) ? node['release'] : {};
    for (const partner of Object.keys(release)) {
      if (partner === ids[i]) issue(['nodes', i, 'release', partner], 'a node does not release to itself');
      else if (!known.has(partner))
        issue(['nodes', i, 'release', partner], `unknown partner '${partner}' (nodes: ${[...known].join(', ')})`);
    }
    const nodeSite = isObject(node['site']) ? node['site'] : undefined;
    if (site !== undefined && nodeSite !== undefined) {
      const d = surfaceDistanceM(site, nodeSite);
      if (d !== undefined && d > MAX_NODE_DISTANCE_M)
        issue(
          ['nodes', i, 'site'],
          `${Math.round(d / 1000)} km from the world site: expected within ${MAX_NODE_DISTANCE_M / 1000} km`,
        );
    }
  });
  const network = isObject(data['network']) ? data['network'] : {};
  list(network['partitions']).forEach((window, j) => {
    if (!isObject(window)) return;
    const fromS = num(window['fromS']);
    const toS = num(window['toS']);
    if (fromS !== undefined && toS !== undefined && toS <= fromS)
      issue(['network', 'partitions', j, 'toS'], 'expected toS after fromS');
    if (durationS !== undefined && fromS !== undefined && fromS >= durationS)
      issue(['network', 'partitions', j, 'fromS'], 'expected a start before durationS');
    list(window['between']).forEach((id, k) => {
      if (typeof id === 'string' && !known.has(id))
        issue(['network', 'partitions', j, 'between', k], `unknown node '${id}'`);
    });
  });
  return issues;
}

/** Great-circle distance between two raw sites, m (undefined when either lacks its angles). */
function surfaceDistanceM(a: Record<string, unknown>, b: Record<string, unknown>): number | undefined {
  const [lat1, lon1, lat2, lon2] = [a['latDeg'], a['lonDeg'], b['latDeg'], b['lonDeg']].map(num);
  if (lat1 === undefined || lon1 === undefined || lat2 === undefined || lon2 === undefined) return undefined;
  const rad = Math.PI / 180;
  const h =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
