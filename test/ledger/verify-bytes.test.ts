import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { NodeKey, NodePublicKey } from '../../src/bridge/index.js';
import { readLedgerFile } from '../../src/record/read-ledger-file.js';
import {
  DEFAULT_LEDGER_POLICY,
  type HeadVerifier,
  headSigningBytes,
  headSigningBytesOfLine,
  LedgerWriter,
  type TreeHead,
  verifyLedger,
  verifyLedgerBytes,
  verifyLedgerText,
} from '../../src/ledger/index.js';

/**
 * `shieldlink verify` checks a ledger file's bytes as read, without decoding the whole file: the
 * same verdict as from its text, the caller's bytes left unchanged, a line that is not UTF-8 a
 * finding (before, the file was decoded and such a byte became U+FFFD), and each head's signed
 * bytes cut from its canonical line equal to those serialized from the head.
 */

const FIXTURES = ['single-ballistic', 'forced-non-threat'].map((name) => ({
  bytes: readFileSync(`test/ledger/fixtures/${name}.ledger`),
  key: NodePublicKey.fromJson(readFileSync(`test/ledger/fixtures/${name}.node.pub.json`, 'utf8'), name) as HeadVerifier,
}));

t.test('bytes and text give the same verdict; the bytes are left as they were', (t) => {
  for (const { bytes, key } of FIXTURES) {
    const copy = Buffer.from(bytes);
    const fromBytes = verifyLedger(bytes, key, DEFAULT_LEDGER_POLICY);
    t.ok(bytes.equals(copy), 'bytes unchanged');
    t.same(fromBytes, verifyLedger(bytes.toString('utf8'), key, DEFAULT_LEDGER_POLICY));
    // A Uint8Array that is not a Buffer, at an offset into a larger ArrayBuffer.
    const big = new Uint8Array(bytes.length + 7);
    big.set(bytes, 7);
    t.same(verifyLedgerBytes(big.subarray(7), key), verifyLedgerText(bytes.toString('utf8'), key));
  }
  t.end();
});

t.test('a line that is not UTF-8 is a malformed line, and the ledger fails', (t) => {
  const { bytes, key } = FIXTURES[0]!;
  const text = bytes.toString('utf8');
  const at = text.indexOf('"kind":"entry"', text.indexOf('\n', text.indexOf('\n') + 1));
  const broken = Buffer.from(bytes);
  broken[at + 9] = 0xff; // inside "entry" of the second entry line: not UTF-8
  const v = verifyLedgerBytes(broken, key);
  const line = text.slice(0, at).split('\n').length;
  t.match(v.problems[0], { rule: 'malformed-line', line, message: 'not UTF-8' });
  t.notOk(verifyLedger(broken, key, DEFAULT_LEDGER_POLICY).pass);
  t.end();
});

t.test("a head's signed bytes cut from its canonical line are those serialized from the head", (t) => {
  const key = NodeKey.generate('sim-1');
  const w = new LedgerWriter(key);
  for (let i = 0; i < 40; i++) {
    w.append({
      type: 'outcome',
      atUs: i,
      engagementId: i,
      trackId: i,
      transition: 'x',
      state: 'y',
      result: null,
      reason: null,
    });
    const line = w.head(1_767_225_600_000 + i);
    const head = JSON.parse(line) as TreeHead;
    t.ok(headSigningBytesOfLine(line, head)?.equals(headSigningBytes(head)), `head ${head.n}`);
  }
  const line = w.head(1_767_225_700_000);
  const head = JSON.parse(line) as TreeHead;
  // Not certain to be the same bytes: left to the serialization.
  t.equal(headSigningBytesOfLine(line.replace('"n":', '"m":1.5,"n":'), { ...head, m: 1.5 } as TreeHead), null);
  t.equal(headSigningBytesOfLine(line, { ...head, sig: 'short' }), null);
  t.equal(headSigningBytesOfLine(line, { ...head, extra: { a: 1 } } as unknown as TreeHead), null);
  t.end();
});

t.test('readLedgerFile gives the file bytes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-read-ledger-'));
  try {
    const file = join(dir, 'x.ledger');
    writeFileSync(file, FIXTURES[0]!.bytes);
    t.ok((await readLedgerFile(file)).equals(FIXTURES[0]!.bytes));
    writeFileSync(file, '');
    t.equal((await readLedgerFile(file)).length, 0);
    await t.rejects(readLedgerFile(join(dir, 'missing.ledger')), { code: 'ENOENT' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
