import { readFile } from 'node:fs/promises';
import t from 'tap';
import { NodePublicKey } from '../../src/bridge/index.js';
import { LedgerWatch, MAX_PENDING_LEDGER_LINES } from '../../src/display/ledger-watch.js';

// The display's ledger view without a browser: lines held until the key is known, every verdict
// the stream verifier gives kept (never softened), garbage never throwing.
async function fixture(name: string): Promise<{ lines: string[]; key: NodePublicKey }> {
  const lines = (await readFile(`test/ledger/fixtures/${name}.ledger`, 'utf8')).split('\n').filter((l) => l !== '');
  const key = NodePublicKey.fromJson(await readFile(`test/ledger/fixtures/${name}.node.pub.json`, 'utf8'), name);
  return { lines, key };
}

t.test('lines before the key are held and verified once it comes', async (t) => {
  const { lines, key } = await fixture('single-ballistic');
  const watch = new LedgerWatch();
  for (const line of lines) watch.line(line);
  t.equal(watch.snapshot().state, 'no-key', 'no key: not verified');
  watch.setKey(key);
  const s = watch.snapshot();
  const last = JSON.parse(lines.at(-1)!) as { n: number; size: number; root: string };
  t.equal(s.state, 'verifying');
  t.match(s.head, { n: last.n, size: last.size, root: last.root, verified: true, final: true, keyId: key.keyId });
  t.same(s.lastVerifiedHead, { n: last.n, size: last.size, root: last.root });
  t.equal(s.problemCount + s.violationCount, 0);
  t.equal(s.closed, true);
  t.equal(s.joinedLate, null);
  t.equal(s.complianceJudged, true);
  const fired = s.engagements.filter((e) => e.fire !== null);
  t.equal(fired.length, s.fires, 'each FIRE justified');
  t.ok(fired.every((e) => e.violations.length === 0 && e.fire!.impact?.assetId === 'node-area'));
  t.ok(
    fired.every((e) => e.fire!.rangeRateMps !== null && e.fire!.rangeRateMps < 0),
    'closing on the asset',
  );
});

t.test('a FIRE at a non-threat is kept on its engagement with the rule', async (t) => {
  const { lines, key } = await fixture('forced-non-threat');
  const watch = new LedgerWatch();
  watch.setKey(key);
  for (const line of lines) watch.line(line);
  const s = watch.snapshot();
  t.ok(s.violationCount > 0);
  t.equal(s.problemCount, 0, 'integrity intact: the node signed what it did');
  const bad = s.engagements.find((e) => e.violations.length > 0);
  t.ok(bad?.violations.some((v) => v.rule === 'target-not-engageable-iff'));
  t.ok(s.findings.some((f) => f.kind === 'compliance' && f.rule === 'target-not-engageable-iff'));
});

t.test('garbage is a finding, never a throw; the held lines are bounded', async (t) => {
  const { key } = await fixture('single-ballistic');
  const watch = new LedgerWatch();
  for (let i = 0; i < MAX_PENDING_LEDGER_LINES + 5; i++) watch.line('{');
  t.equal(watch.snapshot().droppedLines, 5);
  watch.setKey(key);
  for (const junk of ['null', '[]', '{"kind":"entry","i":0,"e":{"type":"fire"}}', 'x'.repeat(2 << 20)])
    watch.line(junk);
  const s = watch.snapshot();
  t.ok(s.problemCount >= MAX_PENDING_LEDGER_LINES, 'every bad line counted');
  t.ok(s.findings.length <= 50, 'findings listed are bounded');
  t.equal(s.findings[0]!.rule, 'malformed-line');
});

t.test('joined late: said, and FIREs shown as not judged (never as compliant)', async (t) => {
  const { lines, key } = await fixture('forced-non-threat');
  const watch = new LedgerWatch();
  watch.setKey(key);
  const firstDecision = lines.findIndex((l) => l.includes('"type":"engagement-decision"'));
  for (const line of lines.slice(firstDecision)) watch.line(line);
  const s = watch.snapshot();
  t.match(s.joinedLate, /^joined at entry \d+/);
  t.equal(s.complianceJudged, false);
  t.equal(s.problemCount, 0, 'heads still verify');
  const fired = s.engagements.filter((e) => e.fire !== null);
  t.ok(fired.length > 0);
  t.ok(fired.every((e) => e.fire!.judged === false && e.violations.length === 0));
});
