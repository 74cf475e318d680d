import { readFile } from 'node:fs/promises';
import t from 'tap';
import { NodePublicKey } from '../../src/bridge/index.js';
import { DEFAULT_LEDGER_POLICY, type LiveFinding, LedgerStreamVerifier, verifyLedger } from '../../src/ledger/index.js';

/**
 * The live verifier, fed the bundled ledgers line by line, agrees with the file verifier: clean
 * ledgers give no finding, a changed, removed or reordered entry or a forged head is reported at
 * the line where it shows; a feed joined late says so and checks what it can.
 */

const FIXTURES = 'test/ledger/fixtures';

async function load(name: string): Promise<{ lines: string[]; key: NodePublicKey; text: string }> {
  const text = await readFile(`${FIXTURES}/${name}.ledger`, 'utf8');
  const key = await NodePublicKey.load(`${FIXTURES}/${name}.node.pub.json`);
  return { lines: text.split('\n').filter((l) => l !== ''), key, text };
}

function feed(
  lines: readonly string[],
  key: NodePublicKey,
  end = true,
): { findings: LiveFinding[]; v: LedgerStreamVerifier } {
  const findings: LiveFinding[] = [];
  const v = new LedgerStreamVerifier(key, DEFAULT_LEDGER_POLICY, (f) => findings.push(f));
  for (const line of lines) v.line(line);
  if (end) v.end();
  return { findings, v };
}

const bad = (findings: LiveFinding[]): LiveFinding[] =>
  findings.filter((f) => f.kind === 'integrity' || f.kind === 'compliance');

t.test('clean ledgers: no finding, the same verdict as the file verifier', async (t) => {
  for (const name of ['single-ballistic', 'forced-non-threat']) {
    const { lines, key, text } = await load(name);
    const { findings, v } = feed(lines, key);
    const file = verifyLedger(text, key, DEFAULT_LEDGER_POLICY);
    t.equal(v.problems, file.integrity.problems.length, `${name}: integrity agrees`);
    t.equal(v.violations, file.compliance.violations.length, `${name}: compliance agrees`);
    t.ok(v.closed, `${name}: closed`);
    t.equal(v.lastValidHead?.root, file.head?.root, `${name}: the same last head`);
    t.ok(findings.filter((f) => f.kind === 'head').every((f) => f.kind === 'head' && f.verified));
  }
});

t.test('tampering is reported at the line it shows', async (t) => {
  const { lines, key } = await load('single-ballistic');
  const entryAt = lines.findIndex((l, i) => i > 3 && l.startsWith('{"e":'));
  const changed = [...lines];
  changed[entryAt] = changed[entryAt]!.replace(/"atUs":(\d)/, '"atUs":9$1');
  const c = bad(feed(changed, key).findings);
  t.ok(
    c.some((f) => f.kind === 'integrity' && f.problem.rule === 'root-mismatch'),
    'an edit breaks the next root',
  );
  const removed = lines.filter((_, i) => i !== entryAt);
  t.ok(bad(feed(removed, key).findings).some((f) => f.kind === 'integrity' && f.problem.rule === 'entry-out-of-order'));
  const swapped = [...lines];
  [swapped[entryAt], swapped[entryAt + 1]] = [swapped[entryAt + 1]!, swapped[entryAt]!];
  t.ok(bad(feed(swapped, key).findings).length > 0, 'a reorder');
  const headAt = lines.findIndex((l, i) => i > 2 && l.startsWith('{"consistency"'));
  const forged = [...lines];
  forged[headAt] = forged[headAt]!.replace(/"timeMs":(\d+)/, (_, n: string) => `"timeMs":${Number(n) + 1}`);
  t.ok(bad(feed(forged, key).findings).some((f) => f.kind === 'integrity' && f.problem.rule === 'bad-signature'));
  const cut = feed(lines.slice(0, -1), key);
  t.ok(
    bad(cut.findings).some((f) => f.kind === 'integrity' && f.problem.rule === 'not-closed'),
    'cut short',
  );
  const forced = await load('forced-non-threat');
  const rules = bad(feed(forced.lines, forced.key).findings).map((f) =>
    f.kind === 'compliance' ? f.violation.rule : '',
  );
  t.ok(rules.includes('target-not-engageable-iff'), 'the forced FIRE is flagged as it arrives');
});

t.test('joined late: says so, then checks heads, signatures and consistency', async (t) => {
  const { lines, key } = await load('single-ballistic');
  const from = lines.findIndex((l, i) => i > 5 && l.startsWith('{"e":'));
  const { findings, v } = feed(lines.slice(from), key);
  t.ok(findings.some((f) => f.kind === 'joined-late'));
  t.same(bad(findings), [], 'nothing wrong with what it saw');
  t.ok(v.closed);
  const tail = lines.slice(from);
  const h = tail.findIndex((l, i) => i > 3 && l.startsWith('{"consistency"'));
  tail[h] = tail[h]!.replace(
    /"consistency":\["([0-9a-f])/,
    (_, c: string) => `"consistency":["${c === 'a' ? 'b' : 'a'}`,
  );
  t.ok(bad(feed(tail, key).findings).length > 0, 'a changed proof after a late join is still caught');
});

t.test('garbage never throws', async (t) => {
  const { key } = await load('single-ballistic');
  const { findings } = feed(
    ['', 'x', '[]', 'null', '{"kind":"head"}', '{"kind":"entry","i":"a"}', '{"kind":"ledger"}'],
    key,
  );
  t.ok(bad(findings).length >= 5);
});
