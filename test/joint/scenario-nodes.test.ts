import { readFileSync } from 'node:fs';
import t from 'tap';
import YAML from 'yaml';
import { ConfigError } from '../../src/config/config-error.js';
import { parseScenario } from '../../src/config/load-scenario.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form edits of parsed YAML
type Scenarioish = any;
const JOINT = YAML.parse(readFileSync('hil-configs/scenarios/joint-raid.yaml', 'utf8')) as Scenarioish;

/** The issues a modified joint-raid scenario gets, as `path: message` lines. */
function issuesOf(edit: (s: Scenarioish) => void): string[] {
  const scenario = structuredClone(JOINT);
  edit(scenario);
  try {
    parseScenario('joint.yaml', JSON.stringify(scenario));
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

t.test('the joint-raid scenario is valid and declares two nodes', async (t) => {
  t.same(
    issuesOf(() => undefined),
    [],
  );
  const s = parseScenario('joint.yaml', JSON.stringify(JOINT));
  t.same(
    s.nodes!.map((n) => n.id),
    ['node-a', 'node-b'],
  );
  t.equal(s.network!.latencyMs, 150);
});

t.test('bad nodes: configs get clear errors naming the field', async (t) => {
  const cases: [string, (s: Scenarioish) => void, RegExp][] = [
    ['duplicate node ids', (s) => (s.nodes[1].id = 'node-a'), /nodes\[1\]\.id: duplicate node id 'node-a'/],
    ['one node only', (s) => s.nodes.pop(), /nodes: expected at least two nodes/],
    ['no world site', (s) => delete s.site, /site: required with nodes/],
    [
      'release to an unknown partner',
      (s) => (s.nodes[0].release['node-z'] = s.nodes[0].release['node-b']),
      /nodes\[0\]\.release\.node-z: unknown partner 'node-z'/,
    ],
    [
      'release to itself',
      (s) => (s.nodes[0].release['node-a'] = s.nodes[0].release['node-b']),
      /nodes\[0\]\.release\.node-a: a node does not release to itself/,
    ],
    ['a node without radars', (s) => (s.nodes[1].radars = []), /nodes\[1\]\.radars: expected at least one radar/],
    [
      'top-level radars beside nodes',
      (s) => (s.radars = [s.nodes[0].radars[0]]),
      /radars: with nodes:, radars belong to a node/,
    ],
    [
      'a node too far away',
      (s) => (s.nodes[1].site.lonDeg = 20),
      /nodes\[1\]\.site: \d+ km from the world site: expected within 500 km/,
    ],
    [
      'duplicate device ids within a node',
      (s) => (s.nodes[0].launchers[0].id = 'radar-a1'),
      /nodes\[0\]\.launchers\[0\]\.id: duplicate id 'radar-a1'/,
    ],
    [
      'an operator command naming another node’s launcher',
      (s) => (s.nodes[0].operatorCommands[1].launcher = 'launcher-b1'),
      /nodes\[0\]\.operatorCommands\[1\]\.launcher: unknown launcher 'launcher-b1'/,
    ],
    [
      'a partition ending before it starts',
      (s) => (s.network.partitions[0] = { fromS: 40, toS: 30 }),
      /network\.partitions\[0\]\.toS: expected toS after fromS/,
    ],
    [
      'a partition naming an unknown node',
      (s) => (s.network.partitions[0].between = ['node-a', 'node-x']),
      /network\.partitions\[0\]\.between\[1\]: unknown node 'node-x'/,
    ],
    [
      'a network without nodes',
      (s) => {
        delete s.nodes;
        delete s.site;
      },
      /network: a network links nodes/,
    ],
    ['a bad broker URL', (s) => (s.nodes[0].broker.url = 'http://x'), /nodes\[0\]\.broker\.url: expected an mqtt/],
    ['a bad node id', (s) => (s.nodes[0].id = '-x'), /nodes\[0\]\.id: expected a node id/],
    [
      'a release policy with a bad quantum',
      (s) => (s.nodes[0].release['node-b'].positionQuantumM = 0),
      /nodes\[0\]\.release\.node-b\.positionQuantumM: expected a quantum ≥ 1 m/,
    ],
    ['loss outside [0, 1]', (s) => (s.network.lossProbability = 2), /network\.lossProbability/],
  ];
  for (const [name, edit, expected] of cases) {
    const issues = issuesOf(edit);
    t.ok(
      issues.some((i) => expected.test(i)),
      `${name}: ${issues.join(' | ') || 'no issue'}`,
    );
  }
});

t.test('single-node scenarios are untouched by the nodes: checks', async (t) => {
  const text = readFileSync('hil-configs/scenarios/short-salvo.yaml', 'utf8');
  t.doesNotThrow(() => parseScenario('short-salvo.yaml', text));
});

t.test('a joint figure limited in a single-node scenario is a config error naming it', async (t) => {
  const scenario = YAML.parse(readFileSync('hil-configs/scenarios/short-salvo.yaml', 'utf8')) as Record<
    string,
    unknown
  >;
  scenario['measurements'] = [{ metric: 'joint.siap.spuriousness', max: 0.05 }];
  let issues: string[] = [];
  try {
    parseScenario('short-salvo.yaml', JSON.stringify(scenario));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues = error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  t.same(issues, [
    'measurements[0].metric: joint.siap.spuriousness is a joint figure: only a scenario with nodes: has it',
  ]);
});
