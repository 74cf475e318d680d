import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { encodeBlock, writePcap } from '../../src/asterix/index.js';
import { lines, runCli } from './frames-io.js';

const dir = mkdtempSync(path.join(tmpdir(), 'asterix-decode-'));
const RECORD = {
  category: 48,
  items: {
    '010': { SAC: 25, SIC: 201 },
    '140': { ToD: 27354.6015625 },
    '040': { RHO: 197.68359375, THETA: 340.13671875 },
    '090': { V: 0, G: 0, FL: 330 },
    '161': { TRN: 3563 },
    '200': { GSP: 0.12066650390625, HDG: 124.002685546875 },
  },
};
const EXPECTED_LINE =
  '{"category":48,"items":{"010":{"SAC":25,"SIC":201},"140":{"ToD":27354.6015625},' +
  '"040":{"RHO":197.68359375,"THETA":340.13671875},"090":{"V":0,"G":0,"FL":330},"161":{"TRN":3563},' +
  '"200":{"GSP":0.12066650390625,"HDG":124.002685546875}}}';
const north = {
  category: 34,
  items: { '010': { SAC: 25, SIC: 201 }, '000': { MessageType: 1 }, '030': { ToD: 27354 } },
};

t.test('a raw block file: one JSON line per record, items in FSPEC order, spec names and units', async (t) => {
  const file = path.join(dir, 'blocks.raw');
  writeFileSync(file, Buffer.concat([encodeBlock(48, [RECORD]), encodeBlock(34, [north])]));
  const run = await runCli(['asterix', 'decode', file]);
  t.equal(run.code, 0);
  t.same(lines(run.stdout), [EXPECTED_LINE, JSON.stringify(north)]);
  t.match(
    run.stderr,
    /raw, 1 datagrams, 2 blocks, 2 records \(2 printed\), 0 blocks of other categories skipped, 0 malformed/,
  );
});

t.test('a pcap: every datagram read whatever its port; --category filters', async (t) => {
  const file = path.join(dir, 'two.pcap');
  writeFileSync(
    file,
    writePcap([
      { timeUs: 1, dstPort: 8600, payload: encodeBlock(48, [RECORD]) },
      { timeUs: 2, dstPort: 21111, payload: encodeBlock(34, [north]) },
    ]),
  );
  const run = await runCli(['asterix', 'decode', file, '--category', '48']);
  t.equal(run.code, 0);
  t.same(lines(run.stdout), [EXPECTED_LINE]);
});

// editcap comes with tshark (wireshark-common), which CI installs: there a missing one fails.
const EDITCAP_SKIP =
  spawnSync('editcap', ['-h'], { stdio: 'ignore' }).status === 0
    ? false
    : process.env['CI'] === 'true'
      ? (() => {
          throw new Error('editcap not found (CI=true: a missing tool fails the test)');
        })()
      : 'editcap not found: install Debian tshark (wireshark-common) to write a pcapng';

t.test('a pcapng (the pcap rewritten by editcap) prints the same lines', { skip: EDITCAP_SKIP }, async (t) => {
  const classic = path.join(dir, 'ng-source.pcap');
  writeFileSync(
    classic,
    writePcap([
      { timeUs: 1, dstPort: 8600, payload: encodeBlock(48, [RECORD]) },
      { timeUs: 2, dstPort: 21111, payload: encodeBlock(34, [north]) },
    ]),
  );
  const ng = path.join(dir, 'two.pcapng');
  execFileSync('editcap', ['-F', 'pcapng', classic, ng]);
  const run = await runCli(['asterix', 'decode', ng]);
  t.equal(run.code, 0);
  t.same(lines(run.stdout), [EXPECTED_LINE, JSON.stringify(north)]);
  t.match(run.stderr, /pcapng/);
});

t.test('malformed blocks: dropped, reported (as JSON with --json), the rest still printed, exit 0', async (t) => {
  const file = path.join(dir, 'bad.raw');
  writeFileSync(file, Buffer.concat([Buffer.from([48, 0, 6, 0xc0, 1, 2]), encodeBlock(48, [RECORD])]));
  const plain = await runCli(['asterix', 'decode', file]);
  t.equal(plain.code, 0);
  t.same(lines(plain.stdout), [EXPECTED_LINE]);
  t.match(plain.stderr, /frame 1, block at 0 \(CAT48\): record-overrun/);
  const json = await runCli(['asterix', 'decode', file, '--json']);
  const out = lines(json.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
  t.match(out[0], { error: 'record-overrun', frame: 1, category: 48, offset: 0 });
  t.equal(out.length, 2);
});

t.test('unreadable input: exit 3 with the reason (JSON with --json); bad options exit 2', async (t) => {
  const cut = path.join(dir, 'cut.pcap');
  writeFileSync(cut, writePcap([{ timeUs: 1, dstPort: 8600, payload: encodeBlock(48, [RECORD]) }]).subarray(0, 50));
  const run = await runCli(['asterix', 'decode', cut, '--json']);
  t.equal(run.code, 3);
  t.match(JSON.parse(lines(run.stdout)[0]!), { error: 'capture', detail: /cut short/ });
  const missing = await runCli(['asterix', 'decode', path.join(dir, 'nope.pcap')]);
  t.equal(missing.code, 3);
  t.match(missing.stderr, /cannot read/);
  t.equal((await runCli(['asterix', 'decode'])).code, 2);
  t.equal((await runCli(['asterix', 'decode', cut, '--category', 'x'])).code, 2);
});
