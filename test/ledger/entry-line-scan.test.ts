import fc from 'fast-check';
import t from 'tap';
import { canonicalJson } from '../../src/common/canonical-json.js';
import { scanEntryLine } from '../../src/ledger/entry-line-scan.js';

/**
 * The verifier's fast path for entry lines answers only where the full path (JSON.parse, then
 * the canonical check) would accept the line as a canonical entry, and then with exactly what
 * the parse gives: `i`, the entry's `type` and `engagementId`, and the entry's own JSON. On every
 * other line — broken JSON, other serializations, other kinds — it answers null (full path).
 */

function scan(line: string): ReturnType<typeof scanEntryLine> {
  // As the verifier calls it: the line's bytes from offset 1 of a larger, dirty buffer.
  const bytes = Buffer.alloc(Buffer.byteLength(line) + 16, 0x7d);
  const end = 1 + bytes.write(line, 1, 'utf8');
  return scanEntryLine(bytes, 1, end);
}

/** What the full path says: the fields when the line is a canonical entry line with a typed entry, else null. */
function reference(line: string): { i: number; type: string; engagementId: number | undefined; entry: string } | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (canonicalJson(v, 'finite') !== line) return null;
  const r = v as Record<string, unknown>;
  if (typeof r !== 'object' || r === null || Array.isArray(r) || r['kind'] !== 'entry') return null;
  const e = r['e'] as Record<string, unknown>;
  if (typeof r['i'] !== 'number' || typeof e !== 'object' || e === null || Array.isArray(e)) return null;
  if (typeof e['type'] !== 'string') return null;
  const id = e['engagementId'];
  return {
    i: r['i'],
    type: e['type'],
    engagementId: typeof id === 'number' ? id : undefined,
    entry: JSON.stringify(e),
  };
}

/** The scan never answers where the full path would not, and answers the same. */
function sound(line: string): boolean {
  const got = scan(line);
  if (got === null) return true;
  const want = reference(line);
  if (want === null) return false;
  const entryText = line.slice(got.entryFrom, got.entryTo);
  return (
    got.i === want.i &&
    got.type === want.type &&
    Object.is(got.engagementId, want.engagementId) &&
    JSON.stringify(JSON.parse(entryText)) === want.entry
  );
}

const entryValue = fc.record(
  {
    type: fc.oneof(fc.constantFrom('fire', 'engagement-decision', 'config', 'outcome'), fc.string()),
    engagementId: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string()),
    atUs: fc.double({ noNaN: true, noDefaultInfinity: true }),
    track: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: [] },
);
const entryLine = fc.record(
  {
    kind: fc.oneof(fc.constant('entry'), fc.constant('head'), fc.string()),
    i: fc.oneof(fc.nat(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string()),
    e: fc.oneof(entryValue, fc.jsonValue({ maxDepth: 2 })),
    x: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);

t.test('canonical entry lines are read exactly as the parse reads them', (t) => {
  fc.assert(
    fc.property(entryLine, (v) => {
      const line = canonicalJson(v, 'finite');
      const want = reference(line);
      // A canonical line of printable ASCII without escapes must take the fast path.
      const plain = /^[\x20-\x7e]*$/.test(line) && !line.includes('\\');
      return sound(line) && (want === null || !plain || scan(line) !== null);
    }),
    { numRuns: 3000 },
  );
  t.end();
});

t.test('other serializations, cut and edited lines never take the fast path wrongly', (t) => {
  const noise = fc.constantFrom(
    ' ',
    '\t',
    ',',
    ':',
    '{',
    '}',
    '[',
    ']',
    '"',
    '\\',
    '0',
    '-',
    '.',
    'e',
    'tru',
    'nul',
    '\u0001',
    'é',
    '1e5',
  );
  fc.assert(
    fc.property(entryLine, fc.nat(), fc.nat(), noise, (v, at, cut, piece) => {
      const line = canonicalJson(v, 'finite');
      const p = at % (line.length + 1);
      return (
        sound(JSON.stringify(v)) &&
        sound(JSON.stringify(v, null, 1)) &&
        sound(line.slice(0, p) + piece + line.slice(p)) &&
        sound(line.slice(0, p) + line.slice(p + 1 + (cut % 4))) &&
        sound(line.slice(0, p))
      );
    }),
    { numRuns: 3000 },
  );
  t.end();
});

t.test('the ledger writer’s entry lines take the fast path', (t) => {
  const line = canonicalJson(
    {
      kind: 'entry',
      i: 41,
      e: { type: 'fire', engagementId: 7, atUs: 1.5, launcherId: 'l-1' },
    },
    'finite',
  );
  const got = scan(line);
  t.match(got, { i: 41, type: 'fire', engagementId: 7 });
  t.equal(line.slice(got!.entryFrom, got!.entryTo), '{"atUs":1.5,"engagementId":7,"launcherId":"l-1","type":"fire"}');
  for (const bad of [
    '{"e":{"type":"fire"},"i":1,"kind":"entry"} ',
    '{"e":{"type":"fire"},"kind":"entry","i":1}',
    '{"e":{"type":"fire"},"i":1.0,"kind":"entry"}',
    '{"e":{"type":"fire"},"i":1,"kind":"entry"}}',
    '{"e":{"type":"fire","type":"x"},"i":1,"kind":"entry"}',
    '{"e":{"type":"fi\\re"},"i":1,"kind":"entry"}',
    '{"e":{"a":tru,"type":"fire"},"i":1,"kind":"entry"}',
    '{"e":{"a":[1 2],"type":"fire"},"i":1,"kind":"entry"}',
    '{"e":{"type":"fire"},"i":1,"kind":"entry"',
  ])
    t.equal(scan(bad), null, bad);
  t.end();
});
