import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { exportRunToMcap } from '../../src/export/mcap-export.js';
import { lines, runCli } from '../cli/frames-io.js';

/** Bad input of each kind: one clear error line on stderr, exit 2, nothing else printed. */
const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bad-input-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** A small valid run file (a manifest, one tick, the end). */
function writeRun(file: string, format = 'shieldlink-run/2'): void {
  const records = [
    {
      kind: 'manifest',
      format,
      softwareVersion: '0.1.0',
      configHash: 'x',
      scenario: null,
      seed: 1,
      clockMode: 'virtual',
      tickPeriodUs: 1000,
      coreConfig: {},
    },
    { kind: 'idle', ticks: [[0, 0, 10, 1000]] },
    { kind: 'end', ticks: 10, outputsSha256: 'e3b0', summary: {} },
  ];
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** A pcapng file with one Ethernet interface and one packet. */
function ethernetPcapng(): Buffer {
  const shb = Buffer.alloc(28);
  shb.writeUInt32LE(0x0a0d0d0a, 0);
  shb.writeUInt32LE(28, 4);
  shb.writeUInt32LE(0x1a2b3c4d, 8);
  shb.writeUInt16LE(1, 12);
  shb.writeBigInt64LE(-1n, 16);
  shb.writeUInt32LE(28, 24);
  const idb = Buffer.alloc(20);
  idb.writeUInt32LE(1, 0);
  idb.writeUInt32LE(20, 4);
  idb.writeUInt16LE(1, 8); // LINKTYPE_ETHERNET
  idb.writeUInt32LE(20, 16);
  const epb = Buffer.alloc(32 + 16);
  epb.writeUInt32LE(6, 0);
  epb.writeUInt32LE(48, 4);
  epb.writeUInt32LE(14, 20);
  epb.writeUInt32LE(14, 24);
  epb.writeUInt32LE(48, 44);
  return Buffer.concat([shb, idb, epb]);
}

function oneErrorLine(t: Test, result: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  t.equal(result.code, 2, 'exit 2');
  t.equal(lines(result.stderr).length, 1, `one error line: ${result.stderr.trim()}`);
  t.match(result.stderr, pattern, 'says what is wrong');
  t.equal(result.stdout, '', 'nothing on stdout');
}

t.test('a pcapng of another link type', async (t) => {
  const file = join(dir, 'ethernet.pcapng');
  writeFileSync(file, ethernetPcapng());
  oneErrorLine(t, await runCli(['frames', 'decode', '--pcapng', file]), /link type 1 \(LINKTYPE_ETHERNET\), not 147/);
  const run = join(dir, 'ok.run');
  writeRun(run);
  oneErrorLine(
    t,
    await runCli(['export', run, '--mcap', join(dir, 'x.mcap'), '--capture', file]),
    /not a shieldlink capture/,
  );
  writeFileSync(join(dir, 'classic.pcap'), Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'));
  oneErrorLine(t, await runCli(['frames', 'decode', '--pcapng', join(dir, 'classic.pcap')]), /classic pcap file/);
});

t.test('a truncated MCAP file', async (t) => {
  const run = join(dir, 'small.run');
  writeRun(run);
  const mcap = join(dir, 'small.mcap');
  await exportRunToMcap({ runFile: run, outFile: mcap });
  const whole = readFileSync(mcap);
  const cut = join(dir, 'cut.mcap');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  oneErrorLine(t, await runCli(['import', cut, '--out', join(dir, 'cut.run')]), /truncated|not a valid MCAP/);
  writeFileSync(join(dir, 'junk.mcap'), 'not an mcap file at all\n');
  oneErrorLine(t, await runCli(['import', join(dir, 'junk.mcap')]), /not a valid MCAP/);
  const ok = await runCli(['import', mcap, '--out', join(dir, 'back', 'small.run')]);
  t.equal(ok.code, 0, 'the whole file imports');
  t.ok(readFileSync(join(dir, 'back', 'small.run')).equals(readFileSync(run)), 'and gives the run file back');
});

t.test('a run file of a newer format', async (t) => {
  const run = join(dir, 'future.run');
  writeRun(run, 'shieldlink-run/9');
  oneErrorLine(
    t,
    await runCli(['export', run, '--mcap', join(dir, 'future.mcap')]),
    /run file format shieldlink-run\/9; this build reads shieldlink-run\/1, shieldlink-run\/2/,
  );
  oneErrorLine(t, await runCli(['replay', run, '--publish', '--broker', 'mqtt://127.0.0.1:1']), /shieldlink-run\/9/);
  writeFileSync(join(dir, 'notes.run'), 'hello\nworld\n');
  oneErrorLine(t, await runCli(['export', join(dir, 'notes.run'), '--mcap', join(dir, 'n.mcap')]), /not a JSON record/);
});

t.test('an MQTT log of a newer format, and bad replay options', async (t) => {
  const run = join(dir, 'with-log.run');
  writeRun(run);
  writeFileSync(
    join(dir, 'with-log.mqtt.jsonl'),
    JSON.stringify({ kind: 'mqtt-log', format: 'shieldlink-mqtt/7', nodeId: 'n', clockMode: 'virtual', epochUs: 0 }) +
      '\n',
  );
  oneErrorLine(t, await runCli(['replay', run, '--publish', '--broker', 'mqtt://127.0.0.1:1']), /shieldlink-mqtt\/7/);
  oneErrorLine(t, await runCli(['replay', run, '--publish', '--broker', 'mqtt://x', '--rate', '0']), /--rate/);
  oneErrorLine(t, await runCli(['replay', run, '--publish']), /--broker/);
  oneErrorLine(t, await runCli(['replay', run, '--rate', '2']), /--publish/);
});
