// @ts-check
/**
 * The layer map (docs/architecture.md §Layers): ONE ordered list, lowest layer first. A layer may
 * import only the layers named in its `may` list, and those must come earlier in the list — so
 * the map cannot hold a cycle, and a layer that is not named is banned (upward, sideways and
 * "downward but not allowed", e.g. the pure control core importing a transport). Every folder of
 * src/ must be in the list (checked when eslint loads its config, and by test/lint).
 *
 * A nested layer (`src/control/realtime`) is matched before its parent (longest prefix wins).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @typedef {{ readonly layer: string, readonly job: string, readonly may: readonly string[] }} Layer */

/** `may: 'everything below'` = every earlier layer of the list. */
const ORDER = /** @type {const} */ ([
  { layer: 'src/common', job: 'neutral helpers (canonical JSON, seeded PRNG)', may: [] },
  { layer: 'src/time', job: 'the one clock', may: ['src/common'] },
  {
    layer: 'src/ledger',
    job: 'the decision ledger: Merkle log, signed heads, verification (pure)',
    may: ['src/common'],
  },
  { layer: 'src/truth', job: "the simulator's truth-log format (types only)", may: [] },
  { layer: 'src/framing', job: 'frames on a byte stream', may: ['src/common'] },
  { layer: 'src/geo', job: 'WGS-84, ECEF and local ENU frames', may: [] },
  { layer: 'src/metrics', job: 'picture quality against truth: GOSPA, OSPA, SIAP (pure)', may: ['src/common'] },
  {
    layer: 'src/sharing',
    job: 'joint-picture sharing: release policy, partner intake (pure)',
    may: ['src/common', 'src/geo'],
  },
  { layer: 'src/asterix', job: 'EUROCONTROL ASTERIX codec and capture files', may: ['src/common'] },
  { layer: 'src/nmea', job: 'NMEA 0183 TTM/TLL sentences', may: ['src/common'] },
  {
    layer: 'src/fusion',
    job: 'track-to-track fusion of partner and local tracks, pure',
    may: ['src/common', 'src/geo'],
  },
  { layer: 'src/transport', job: 'bytes in and out', may: ['src/common', 'src/time'] },
  { layer: 'src/protocol', job: 'messages: the catalogue and codecs', may: ['src/common', 'src/framing'] },
  { layer: 'src/icd-doc', job: 'the ICD prose (docs/protocol.md)', may: ['src/common', 'src/framing', 'src/protocol'] },
  { layer: 'src/config', job: 'what the bench is', may: ['src/common', 'src/sharing'] },
  { layer: 'src/record', job: 'the run file', may: ['src/common', 'src/time'] },
  {
    layer: 'src/devices',
    job: 'one controller each',
    may: ['src/common', 'src/time', 'src/framing', 'src/transport', 'src/protocol'],
  },
  { layer: 'src/control/realtime', job: 'when the core runs', may: ['src/common', 'src/time'] },
  { layer: 'src/control', job: 'decisions, pure', may: ['src/common', 'src/protocol'] },
  {
    layer: 'src/coordination',
    job: 'engagement coordination between nodes: intents, deconfliction (pure)',
    may: ['src/common', 'src/sharing', 'src/control'],
  },
  {
    layer: 'src/proxy',
    job: 'serial fault proxy',
    may: ['src/common', 'src/time', 'src/framing', 'src/transport', 'src/protocol'],
  },
  {
    layer: 'src/conformance',
    job: 'the conformance kit',
    may: ['src/common', 'src/time', 'src/framing', 'src/transport', 'src/protocol'],
  },
  {
    layer: 'src/bridge',
    job: 'the command network (MQTT)',
    may: ['src/common', 'src/time', 'src/geo', 'src/sharing', 'src/coordination'],
  },
  {
    layer: 'src/session',
    job: 'the host side of one run',
    may: [
      'src/common',
      'src/time',
      'src/protocol',
      'src/config',
      'src/record',
      'src/devices',
      'src/control/realtime',
      'src/control',
      'src/bridge',
      'src/metrics',
    ],
  },
  {
    layer: 'src/capture',
    job: 'frames captured off a link, pcapng files',
    may: ['src/common', 'src/framing', 'src/transport', 'src/protocol'],
  },
  {
    layer: 'src/wireshark',
    job: 'the Wireshark dissector, generated from the catalogue',
    may: ['src/common', 'src/framing', 'src/protocol', 'src/capture'],
  },
  {
    layer: 'src/export',
    job: 'MCAP export and import of a run',
    may: ['src/common', 'src/protocol', 'src/record', 'src/bridge', 'src/capture'],
  },
  {
    layer: 'src/asterix-io',
    job: 'ASTERIX radar source and CAT062 output',
    may: ['src/common', 'src/time', 'src/geo', 'src/asterix', 'src/control', 'src/session'],
  },
  {
    layer: 'src/display',
    job: 'the live tactical display',
    may: ['src/common', 'src/time', 'src/ledger', 'src/config', 'src/bridge'],
  },
  {
    layer: 'firmware-sim',
    job: 'the hardware stand-in: never the host logic',
    may: [
      'src/common',
      'src/time',
      'src/truth',
      'src/framing',
      'src/geo',
      'src/asterix',
      'src/nmea',
      'src/transport',
      'src/protocol',
      'src/config',
    ],
  },
  {
    layer: 'src/report',
    job: 'the after-action report (HTML, charts)',
    may: [
      'src/common',
      'src/time',
      'src/truth',
      'src/config',
      'src/record',
      'src/control/realtime',
      'src/control',
      'src/session',
      'src/metrics',
      'src/ledger',
    ],
  },
  {
    layer: 'src/compose',
    job: 'composes a bench: the only place that picks simulated parts',
    may: [
      'src/common',
      'src/time',
      'src/truth',
      'src/transport',
      'src/protocol',
      'src/config',
      'src/record',
      'src/devices',
      'src/control/realtime',
      'src/control',
      'src/bridge',
      'src/session',
      'src/geo',
      'src/nmea',
      'src/asterix-io',
      'src/capture',
      'src/export',
      'firmware-sim',
      'src/ledger',
      'src/coordination',
      'src/sharing',
      'src/fusion',
    ],
  },
  { layer: 'src/campaign', job: 'many seeded runs: plans, worker pool, statistics, queue', may: 'everything below' },
  { layer: 'bench', job: 'benchmarks', may: 'everything below' },
  { layer: 'src/cli', job: 'the shieldlink command (composition root)', may: 'everything below' },
]);

const names = ORDER.map((l) => l.layer);

/** @type {readonly Layer[]} */
export const LAYERS = ORDER.map((l, i) => ({ ...l, may: l.may === 'everything below' ? names.slice(0, i) : l.may }));

export const REPO_ROOT = dirname(fileURLToPath(import.meta.url));

/**
 * Checks the list: each `may` names only earlier layers, and every folder of src/ is a layer (or
 * inside one). Throws with what is wrong.
 */
export function assertLayerMap() {
  LAYERS.forEach((l, i) => {
    for (const m of l.may) {
      const j = names.indexOf(m);
      if (j < 0 || j >= i) throw new Error(`layer map: ${l.layer} may import ${m}, which is not an earlier layer`);
    }
  });
  const srcDir = resolve(REPO_ROOT, 'src');
  if (!existsSync(srcDir)) return;
  for (const entry of readdirSync(srcDir, { withFileTypes: true })) {
    if (entry.isDirectory() && !names.includes(`src/${entry.name}`)) {
      throw new Error(`layer map: src/${entry.name} is in no layer (add it to eslint-layers.js)`);
    }
  }
}

/**
 * The layer a repository-relative path (posix separators) belongs to, or undefined.
 * @param {string} path
 */
export function layerOf(path) {
  let best;
  for (const name of names) {
    if ((path === name || path.startsWith(`${name}/`)) && (best === undefined || name.length > best.length)) {
      best = name;
    }
  }
  return best;
}

/** @param {string} absolute */
function repoRelative(absolute) {
  return relative(REPO_ROOT, absolute).split(sep).join('/');
}

/** @type {import('eslint').Rule.RuleModule} */
const importOnlyDownward = {
  meta: {
    type: 'problem',
    docs: { description: 'Layers import only the layers the layer map allows (eslint-layers.js).' },
    schema: [],
  },
  create(context) {
    const from = layerOf(repoRelative(context.filename));
    if (from === undefined) return {};
    const allowed = new Set([from, ...(LAYERS.find((l) => l.layer === from)?.may ?? [])]);
    /** @param {import('estree').Node} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = repoRelative(resolve(dirname(context.filename), source));
      const to = layerOf(target);
      if (to !== undefined && allowed.has(to)) return;
      context.report({
        node,
        message:
          to === undefined
            ? `${from} imports ${target}, which is in no layer (eslint-layers.js).`
            : `${from} must not import ${to}: layers import only the layers eslint-layers.js allows (docs/architecture.md).`,
      });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      /** @param {any} node */
      TSImportType: (node) => check(node, node.argument?.literal?.value ?? node.argument?.value),
    };
  },
};

export const layersPlugin = { rules: { 'import-only-downward': importOnlyDownward } };
