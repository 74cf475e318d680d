import { readFile } from 'node:fs/promises';
import t from 'tap';
import { NodePublicKey } from '../../src/bridge/index.js';
import { LedgerWatch, MAX_PENDING_LEDGER_LINES } from '../../src/display/ledger-watch.js';
import { ledgerVerdict } from '../../src/display/web/ledger-panel.js';
import { DEFAULT_LEDGER_POLICY, LedgerStreamVerifier } from '../../src/ledger/index.js';
import type { Clock } from '../../src/time/clock.js';

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
  await watch.idle();
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
  await watch.idle();
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
  await watch.idle();
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
  await watch.idle();
  const s = watch.snapshot();
  t.match(s.joinedLate, /^joined at entry \d+/);
  t.equal(s.complianceJudged, false);
  t.equal(s.problemCount, 0, 'heads still verify');
  const fired = s.engagements.filter((e) => e.fire !== null);
  t.ok(fired.length > 0);
  t.ok(fired.every((e) => e.fire!.judged === false && e.violations.length === 0));
});

/** A clock whose timers fire only when the test says: one turn of the event loop at a time. */
function steppedClock(): { clock: Clock; turns: (() => void)[]; turn(): boolean } {
  const turns: (() => void)[] = [];
  const clock: Clock = {
    kind: 'virtual',
    nowUs: () => 0,
    setTimerAt: (_atUs, callback) => {
      turns.push(callback);
      return { cancel: () => undefined };
    },
    setTimer: (_delayUs, callback) => clock.setTimerAt(0, callback),
  };
  return {
    clock,
    turns,
    turn: () => {
      const next = turns.shift();
      next?.();
      return next !== undefined;
    },
  };
}

/** What the stream verifier says of `lines`, fed synchronously (the reference the watch must match). */
function reference(lines: readonly string[], key: NodePublicKey) {
  const rules: string[] = [];
  const verifier = new LedgerStreamVerifier(key, DEFAULT_LEDGER_POLICY, (f) => {
    if (f.kind === 'integrity') rules.push(`integrity:${f.problem.rule}`);
    if (f.kind === 'compliance') rules.push(`compliance:${f.violation.rule}`);
  });
  for (const line of lines) verifier.line(line);
  return { rules, entries: verifier.entries, problems: verifier.problems, violations: verifier.violations };
}

t.test('line() only queues: the writer returns before any hashing or signature check', async (t) => {
  for (const name of ['single-ballistic', 'forced-non-threat']) {
    const { lines, key } = await fixture(name);
    let signatureChecks = 0;
    const counted = {
      nodeId: key.nodeId,
      keyId: key.keyId,
      verifyBytes: (bytes: Uint8Array, sig: string) => {
        signatureChecks++;
        return key.verifyBytes(bytes, sig);
      },
    };
    const { clock, turns, turn } = steppedClock();
    const watch = new LedgerWatch({ clock, linesPerTurn: 10 });
    watch.setKey(counted);
    for (const line of lines) watch.line(line); // as the ledger writer's onLine does, on the tick
    let s = watch.snapshot();
    t.equal(s.entries, 0, `${name}: nothing verified on the caller's turn`);
    t.equal(signatureChecks, 0, `${name}: no signature checked on the caller's turn`);
    t.equal(s.queuedLines, lines.length, `${name}: every line waits`);
    t.equal(s.state, 'verifying', `${name}: said to be in progress`);
    t.equal(turns.length, 1, `${name}: one later turn asked for`);
    t.ok(turn());
    s = watch.snapshot();
    t.equal(s.queuedLines, lines.length - 10, `${name}: a turn verifies at most linesPerTurn lines`);
    let n = 1;
    while (turn()) n++;
    t.equal(n, Math.ceil(lines.length / 10), `${name}: the rest on further turns`);
    s = watch.snapshot();
    const ref = reference(lines, key);
    t.equal(s.queuedLines, 0);
    t.equal(s.entries, ref.entries, `${name}: every entry verified`);
    t.equal(s.problemCount, ref.problems);
    t.equal(s.violationCount, ref.violations);
    t.same(
      s.findings.map((f) => `${f.kind}:${f.rule}`),
      ref.rules.slice(0, s.findings.length),
      `${name}: the same findings, in order, as verifying on the spot`,
    );
    t.ok(signatureChecks > 0, `${name}: heads checked later`);
    t.equal(s.head?.verified, true);
    t.equal(ledgerVerdict(s).word, name === 'forced-non-threat' ? 'VIOLATION' : 'VERIFIED');
  }
});

t.test('a full queue: what was queued is verified, the rest counted and the verdict is CANNOT JUDGE', async (t) => {
  const { lines, key } = await fixture('single-ballistic');
  const { clock, turn } = steppedClock();
  const watch = new LedgerWatch({ clock, maxQueuedLines: 5 });
  watch.setKey(key);
  for (const line of lines) watch.line(line);
  let s = watch.snapshot();
  t.equal(s.queuedLines, 5);
  t.equal(s.unverifiedLines, lines.length - 5, 'every line past the bound counted, none silently lost');
  t.equal(s.state, 'cannot-judge');
  while (turn());
  s = watch.snapshot();
  const queuedEntries = lines.slice(0, 5).filter((l) => l.includes('"kind":"entry"')).length;
  t.equal(s.entries, queuedEntries, 'the five lines queued were verified');
  t.equal(s.problemCount, 0, 'the lines not seen are not reported as the node’s gap');
  t.equal(s.state, 'cannot-judge', 'and the display does not vouch for the rest');
  t.same(ledgerVerdict(s), { word: 'CANNOT JUDGE', className: 'warn' });
  watch.line(lines[5]!);
  t.equal(watch.snapshot().unverifiedLines, lines.length - 4, 'once behind, later lines stay unverified');
  t.equal(watch.snapshot().queuedLines, 0);
});

t.test('on a real clock, verification runs on a later turn and idle() waits for it', async (t) => {
  const { lines, key } = await fixture('forced-non-threat');
  const watch = new LedgerWatch();
  watch.setKey(key);
  for (const line of lines) watch.line(line);
  t.equal(watch.snapshot().entries, 0);
  await watch.idle();
  const s = watch.snapshot();
  const ref = reference(lines, key);
  t.equal(s.entries, ref.entries);
  t.equal(s.violationCount, ref.violations);
  t.equal(s.queuedLines, 0);
});
