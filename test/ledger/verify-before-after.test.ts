import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { NodeKey, NodePublicKey } from '../../src/bridge/index.js';
import {
  checkCompliance,
  DEFAULT_LEDGER_POLICY,
  type HeadVerifier,
  type LedgerEntry,
  type LedgerIntegrity,
  LedgerWriter,
  verifyLedgerText,
} from '../../src/ledger/index.js';
import { verifyLedgerTextBefore0040 } from './support/verify-ledger-before.js';

/**
 * The file verifier's faster path (lines found one at a time in the text, entries read from the
 * text by offset, the tree's right edge kept as digest strings) says exactly what the verifier
 * said before it (test/ledger/support/verify-ledger-before.ts) on the recorded ledgers and on
 * thousands of random edits of them: the same findings with the same lines and messages, the
 * same entries read the same, the same heads, the same compliance verdict.
 */

const FIXTURES = ['single-ballistic', 'forced-non-threat'].map((name) => ({
  text: readFileSync(`test/ledger/fixtures/${name}.ledger`, 'utf8'),
  key: NodePublicKey.fromJson(readFileSync(`test/ledger/fixtures/${name}.node.pub.json`, 'utf8'), name) as HeadVerifier,
}));

const testKey = NodeKey.generate('sim-1');

/** A ledger of decisions and FIREs whose strings hold escapes and non-ASCII (lines the scan leaves to the full path). */
function synthetic(): string {
  const w = new LedgerWriter(testKey);
  const lines = [w.header()];
  for (let i = 0; i < 40; i++) {
    const entry: LedgerEntry =
      i % 4 === 3
        ? {
            type: 'fire',
            atUs: i * 1000,
            engagementId: i - 1,
            trackId: i,
            launcherId: i % 8 === 3 ? 'lanceur-é' : 'launcher "1"',
            fireCommandId: i,
            launchAtHostUs: 1.5e6,
          }
        : {
            type: 'outcome',
            atUs: i * 1000 + 0.125,
            engagementId: i,
            trackId: i,
            transition: 'launched',
            state: 'launched',
            result: null,
            reason: i % 5 === 0 ? 'ΔR → 0\n' : null,
          };
    lines.push(w.append(entry));
    if (i % 6 === 5) lines.push(w.head(1_767_225_600_000 + i));
  }
  lines.push(w.head(1_767_225_700_000, true));
  return lines.join('\n') + '\n';
}

const LEDGERS = [...FIXTURES, { text: synthetic(), key: testKey.public as HeadVerifier }];

/** Everything a verdict is built from, as plain data. */
function summary(r: LedgerIntegrity | Error): unknown {
  if (r instanceof Error) return { error: r.name, message: r.message };
  return {
    problems: r.problems,
    problemsOmitted: r.problemsOmitted,
    heads: r.heads,
    closed: r.closed,
    lastValidHead: r.lastValidHead,
    entries: r.entries.map((e) => [e.index, e.line, e.type ?? e.entry.type, e.engagementId, JSON.stringify(e.entry)]),
    compliance: checkCompliance(r.entries, DEFAULT_LEDGER_POLICY),
  };
}

function run(f: (text: string, key: HeadVerifier) => LedgerIntegrity, text: string, key: HeadVerifier): unknown {
  try {
    return summary(f(text, key));
  } catch (e) {
    return summary(e as Error);
  }
}

/** Old and new agree on `text`. */
function agree(text: string, key: HeadVerifier): boolean {
  return (
    JSON.stringify(run(verifyLedgerText, text, key)) === JSON.stringify(run(verifyLedgerTextBefore0040, text, key))
  );
}

const piece = fc.constantFrom(
  '\n',
  '\n\n',
  ' ',
  '"',
  '\\',
  'é',
  '\u2028',
  '0',
  '1',
  '-',
  '.5',
  'e',
  '}',
  '{',
  ',',
  '{"e":{"type":"fire"},"i":3,"kind":"entry"}\n',
);

t.test('unchanged ledgers: old and new verifiers say the same', (t) => {
  for (const { text, key } of LEDGERS) t.ok(agree(text, key));
  t.end();
});

t.test('random edits: old and new verifiers say the same', (t) => {
  fc.assert(
    fc.property(
      fc.constantFrom(...LEDGERS),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), piece, fc.nat({ max: 3 })), { minLength: 1, maxLength: 4 }),
      ({ text, key }, edits) => {
        let edited = text;
        for (const [at, cut, insert, how] of edits) {
          const p = at % (edited.length + 1);
          if (how === 0) edited = edited.slice(0, p) + insert + edited.slice(p);
          else if (how === 1) edited = edited.slice(0, p) + edited.slice(p + 1 + cut);
          else if (how === 2) edited = edited.slice(0, p);
          else {
            // swap two lines
            const lines = edited.split('\n');
            const a = at % lines.length;
            const b = (at + cut + 1) % lines.length;
            [lines[a], lines[b]] = [lines[b]!, lines[a]!];
            edited = lines.join('\n');
          }
        }
        return agree(edited, key);
      },
    ),
    { numRuns: 1000 },
  );
  t.pass('1000 edited ledgers: the same verdicts');
  t.end();
});

t.test('texts of no lines, one line, and lines without a final newline agree', (t) => {
  const { text, key } = LEDGERS[2]!;
  const header = text.slice(0, text.indexOf('\n'));
  for (const s of ['', '\n', header, `${header}\n`, `${header}\n\n`, `${header}\nx`, text.slice(0, -1), `${text}\n`]) {
    t.ok(agree(s, key), JSON.stringify(s.slice(0, 40)));
  }
  t.end();
});
