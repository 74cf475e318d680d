import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { NodeKey, NodePublicKey } from '../../src/bridge/index.js';
import { canonicalJson } from '../../src/common/canonical-json.js';
import {
  DEFAULT_LEDGER_POLICY,
  type HeadSigner,
  type LedgerEntry,
  LedgerFileError,
  LedgerWriter,
  verifyLedger,
} from '../../src/ledger/index.js';

/**
 * 10 000 mutations of recorded ledgers — the ledgers of a single-ballistic run and of the
 * forced-non-threat run (test/ledger/fixtures, written by `shieldlink run`) and ledgers written
 * here with a test key (for forks, which need the key) — each one must make `verify` fail:
 * edit, delete, reorder, insert, truncate, fork two histories, re-sign with a wrong key, withhold
 * one entry between two heads.
 */

const FIXTURES = ['single-ballistic', 'forced-non-threat'].map((name) => ({
  name,
  text: readFileSync(`test/ledger/fixtures/${name}.ledger`, 'utf8'),
  key: NodePublicKey.fromJson(readFileSync(`test/ledger/fixtures/${name}.node.pub.json`, 'utf8'), name),
}));

const testKey = NodeKey.generate('sim-1');

function synthetic(seed: number, divergeAt = Infinity): string {
  const w = new LedgerWriter(testKey);
  const lines = [w.header()];
  for (let i = 0; i < 24; i++) {
    const entry: LedgerEntry = {
      type: 'outcome',
      atUs: i * 1000,
      engagementId: i,
      trackId: i >= divergeAt ? seed + 1000 : seed,
      transition: 'launched',
      state: 'launched',
      result: null,
      reason: null,
    };
    lines.push(w.append(entry));
    if (i % 5 === 4) lines.push(w.head(1_767_225_600_000 + i));
  }
  lines.push(w.head(1_767_225_700_000, true));
  return lines.join('\n') + '\n';
}

const SYNTHETIC = [1, 2, 3].map((seed) => ({
  name: `synthetic-${seed}`,
  text: synthetic(seed),
  fork: synthetic(seed, 7 + seed),
  key: testKey.public,
}));
const LEDGERS = [...FIXTURES.map((f) => ({ ...f, fork: undefined as string | undefined })), ...SYNTHETIC];

/** Does `verify` reject it (a finding, or a clear "not this node's ledger" error)? */
function rejected(text: string, key: NodePublicKey): boolean {
  try {
    const v = verifyLedger(text, key, DEFAULT_LEDGER_POLICY);
    return !v.integrity.ok;
  } catch (error) {
    if (error instanceof LedgerFileError) return true;
    throw error;
  }
}

t.test('unmodified ledgers verify intact', async (t) => {
  for (const l of LEDGERS) {
    const v = verifyLedger(l.text, l.key, DEFAULT_LEDGER_POLICY);
    t.ok(v.integrity.ok, `${l.name}: ${JSON.stringify(v.integrity.problems.slice(0, 2))}`);
    t.ok(v.closed);
  }
  t.ok(verifyLedger(SYNTHETIC[0]!.fork, testKey.public, DEFAULT_LEDGER_POLICY).integrity.ok, 'the fork alone is valid');
});

type Mutation =
  | { kind: 'edit-byte'; line: number; at: number; to: number }
  | { kind: 'edit-value'; line: number; delta: number }
  | { kind: 'delete'; line: number }
  | { kind: 'reorder'; a: number; b: number }
  | { kind: 'insert-copy'; from: number; at: number }
  | { kind: 'insert-forged'; at: number; trackId: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'fork'; cut: number }
  | { kind: 'resign'; all: boolean; head: number }
  | { kind: 'withhold'; entry: number };

const nat = fc.nat({ max: 1 << 20 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('edit-byte' as const), line: nat, at: nat, to: fc.integer({ min: 32, max: 126 }) }),
  fc.record({ kind: fc.constant('edit-value' as const), line: nat, delta: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ kind: fc.constant('delete' as const), line: nat }),
  fc.record({ kind: fc.constant('reorder' as const), a: nat, b: nat }),
  fc.record({ kind: fc.constant('insert-copy' as const), from: nat, at: nat }),
  fc.record({ kind: fc.constant('insert-forged' as const), at: nat, trackId: nat }),
  fc.record({ kind: fc.constant('truncate' as const), at: nat }),
  fc.record({ kind: fc.constant('fork' as const), cut: nat }),
  fc.record({ kind: fc.constant('resign' as const), all: fc.boolean(), head: nat }),
  fc.record({ kind: fc.constant('withhold' as const), entry: nat }),
);

/** A signer that claims to be the node (same node id and key id) but holds another key. */
function impostor(of: NodePublicKey): HeadSigner {
  const other = NodeKey.generate(of.nodeId);
  return { nodeId: of.nodeId, keyId: of.keyId, signBytes: (b) => other.signBytes(b) };
}
const impostors = new Map(LEDGERS.map((l) => [l.name, impostor(l.key)]));

/** The mutated text, or undefined when this mutation does not apply to this ledger. */
function mutate(l: (typeof LEDGERS)[number], m: Mutation): string | undefined {
  const lines = l.text.slice(0, -1).split('\n');
  const body = lines.length - 1; // lines after the header
  const pick = (n: number) => 1 + (n % body);
  const join = (ls: string[]) => ls.join('\n') + '\n';
  switch (m.kind) {
    case 'edit-byte': {
      const i = pick(m.line);
      const line = lines[i]!;
      const at = m.at % line.length;
      if (line.charCodeAt(at) === m.to) return undefined;
      lines[i] = line.slice(0, at) + String.fromCharCode(m.to) + line.slice(at + 1);
      return join(lines);
    }
    case 'edit-value': {
      // A semantic change kept in canonical form: a number somewhere in the line moves.
      const i = pick(m.line);
      const value = JSON.parse(lines[i]!) as Record<string, unknown>;
      const bump = (v: unknown): boolean => {
        if (typeof v !== 'object' || v === null) return false;
        for (const [k, x] of Object.entries(v)) {
          if (typeof x === 'number') {
            (v as Record<string, unknown>)[k] = x + m.delta;
            return true;
          }
          if (bump(x)) return true;
        }
        return false;
      };
      if (!bump(value)) return undefined;
      lines[i] = canonicalJson(value, 'finite');
      return join(lines);
    }
    case 'delete':
      lines.splice(pick(m.line), 1);
      return join(lines);
    case 'reorder': {
      const a = pick(m.a);
      const b = pick(m.b);
      if (lines[a] === lines[b]) return undefined;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return join(lines);
    }
    case 'insert-copy':
      lines.splice(pick(m.at), 0, lines[pick(m.from)]!);
      return join(lines);
    case 'insert-forged': {
      const at = pick(m.at);
      const forged = {
        kind: 'entry',
        i: 0,
        e: {
          type: 'fire',
          atUs: 1,
          engagementId: 99,
          trackId: m.trackId,
          launcherId: 'x',
          fireCommandId: null,
          launchAtHostUs: 1,
        },
      };
      // Give it the index due at that place, so only the tree gives it away.
      forged.i = lines.slice(1, at).filter((x) => x.startsWith('{"e":')).length;
      lines.splice(at, 0, canonicalJson(forged, 'finite'));
      return join(lines);
    }
    case 'truncate':
      return l.text.slice(0, m.at % l.text.length);
    case 'fork': {
      if (l.fork === undefined) return undefined;
      // One history up to a line, the other from there on: both signed, never consistent.
      const other = l.fork.slice(0, -1).split('\n');
      const cut = 1 + (m.cut % body);
      const mixed = join([...lines.slice(0, cut), ...other.slice(cut)]);
      return mixed === l.text || mixed === l.fork ? undefined : mixed;
    }
    case 'resign': {
      const signer = impostors.get(l.name)!;
      const heads = lines.map((x, i) => (x.startsWith('{"consistency"') ? i : -1)).filter((i) => i >= 0);
      const targets = m.all ? heads : [heads[m.head % heads.length]!];
      for (const i of targets) {
        const { sig: _sig, ...rest } = JSON.parse(lines[i]!) as Record<string, unknown>;
        const bytes = Buffer.from('shieldlink-tree-head/1\n' + canonicalJson(rest), 'utf8');
        lines[i] = canonicalJson({ ...rest, sig: signer.signBytes(bytes) });
      }
      return join(lines);
    }
    case 'withhold': {
      // One entry between two heads left out; the heads stay as signed.
      const entries = lines.map((x, i) => (x.startsWith('{"e":') ? i : -1)).filter((i) => i >= 0);
      lines.splice(entries[m.entry % entries.length]!, 1);
      return join(lines);
    }
  }
}

t.test('10 000 mutations of recorded ledgers: verify detects every one', async (t) => {
  const counts: Record<string, number> = {};
  let applied = 0;
  fc.assert(
    fc.property(fc.nat({ max: LEDGERS.length - 1 }), mutation, (which, m) => {
      const l = LEDGERS[which]!;
      const text = mutate(l, m);
      if (text === undefined || text === l.text) return true;
      applied++;
      counts[m.kind] = (counts[m.kind] ?? 0) + 1;
      return rejected(text, l.key);
    }),
    { numRuns: 10_000, seed: 19 },
  );
  t.ok(applied > 9_000, `${applied} mutations applied (${JSON.stringify(counts)})`);
  for (const kind of [
    'edit-byte',
    'edit-value',
    'delete',
    'reorder',
    'insert-copy',
    'insert-forged',
    'truncate',
    'fork',
    'resign',
    'withhold',
  ]) {
    t.ok((counts[kind] ?? 0) > 100, `${kind}: ${counts[kind] ?? 0}`);
  }
});

t.test('a ledger of another node, garbage or nothing is a clear LedgerFileError', async (t) => {
  const other = NodeKey.generate('sim-2').public;
  t.throws(() => verifyLedger(FIXTURES[0]!.text, other, DEFAULT_LEDGER_POLICY), {
    code: 'wrong-node',
    message: /ledger of node 'sim-1'.*not of node 'sim-2'/,
  });
  const sameNodeOtherKey = NodeKey.generate('sim-1').public;
  t.throws(() => verifyLedger(FIXTURES[0]!.text, sameNodeOtherKey, DEFAULT_LEDGER_POLICY), { code: 'wrong-node' });
  for (const garbage of ['', '\n', 'garbage', '\u0000\u0001', '{"kind":"manifest"}\n', '[1,2]\n']) {
    t.throws(
      () => verifyLedger(garbage, FIXTURES[0]!.key, DEFAULT_LEDGER_POLICY),
      LedgerFileError,
      JSON.stringify(garbage),
    );
  }
});
