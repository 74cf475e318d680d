/**
 * Every CAT048 and CAT034 record of a real air-traffic capture (Croatia Control's sample data,
 * ../shared/interop/asterix/cat_034_048.pcap) decodes, and every item value equals Wireshark's
 * (Debian's tshark, an independent decoder), record by record. Likewise the CAT062 block of
 * cat_062_065.pcap (its CAT065 block is skipped by length).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { AsterixDecoder, type AsterixRecord, CATEGORIES, readCapture } from '../../src/asterix/index.js';
import { compareRecord } from './support/compare-tshark.js';
import { INTEROP_DIR, INTEROP_SKIP, TSHARK_SKIP, tsharkRecords } from './support/tshark.js';

const skip = TSHARK_SKIP || INTEROP_SKIP;

function decodeFile(file: string): { records: (AsterixRecord & { frame: number })[]; decoder: AsterixDecoder } {
  const decoder = new AsterixDecoder();
  const records: (AsterixRecord & { frame: number })[] = [];
  for (const datagram of readCapture(readFileSync(file)).datagrams) {
    decoder.decode(datagram.payload, { record: (record) => records.push({ ...record, frame: datagram.frame }) });
  }
  return { records, decoder };
}

function compareWithTshark(t: Test, file: string, categories: number[]): void {
  const ours = decodeFile(file);
  const theirs = tsharkRecords(file).filter((record) => categories.includes(record.category));
  const mine = ours.records.filter((record) => categories.includes(record.category));
  t.equal(ours.decoder.counters.malformedBlocks, 0, 'no block dropped');
  t.equal(mine.length, theirs.length, `${theirs.length} records in both decodings`);
  const differences: string[] = [];
  theirs.forEach((record, n) => {
    const own = mine[n];
    if (!own || own.frame !== record.frame)
      differences.push(`record ${n}: frame ${own?.frame} vs tshark ${record.frame}`);
    else differences.push(...compareRecord(CATEGORIES.get(record.category)!, own, record));
  });
  t.same(differences.slice(0, 40), [], `every item value equals tshark's (${differences.length} differences)`);
  for (const category of categories) {
    t.ok(
      mine.some((record) => record.category === category),
      `the capture holds CAT${category} records`,
    );
  }
}

t.test('cat_034_048.pcap: every CAT048 and CAT034 record equals tshark item by item', { skip }, async (t) => {
  compareWithTshark(t, path.join(INTEROP_DIR, 'cat_034_048.pcap'), [48, 34]);
});

t.test(
  'cat_062_065.pcap: the CAT062 records equal tshark, the CAT065 block is skipped by length',
  { skip },
  async (t) => {
    const file = path.join(INTEROP_DIR, 'cat_062_065.pcap');
    compareWithTshark(t, file, [62]);
    t.equal(decodeFile(file).decoder.counters.unknownCategoryBlocks, 1, 'CAT065 skipped');
  },
);

t.test('the same capture as pcapng (editcap) decodes to the same records', { skip }, async (t) => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'asterix-ng-')), 'cat_034_048.pcapng');
  execFileSync('editcap', ['-F', 'pcapng', path.join(INTEROP_DIR, 'cat_034_048.pcap'), out]);
  t.equal(readCapture(readFileSync(out)).format, 'pcapng');
  const ng = decodeFile(out);
  const classic = decodeFile(path.join(INTEROP_DIR, 'cat_034_048.pcap'));
  t.same(ng.records, classic.records);
  t.equal(ng.records.length, 162);
});
