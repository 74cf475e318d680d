import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import t from 'tap';
import { encodeMessage } from '../../src/protocol/index.js';
import { lines, runCli } from './frames-io.js';

interface Vector {
  name: string;
  wire: string;
  message?: unknown;
  error?: string;
}
const vectors = JSON.parse(readFileSync(new URL('../vectors/frames.json', import.meta.url), 'utf8')) as Vector[];
const heartbeatHex = Buffer.from(
  encodeMessage({ type: 'HEARTBEAT', seq: 7, flags: 0, senderTimeUs: 350_000, heartbeatCount: 7 }),
).toString('hex');

t.test('every golden vector through stdin: one JSON line each, in order', async (t) => {
  const run = await runCli(['frames', 'decode'], vectors.map((v) => v.wire).join('\n') + '\n');
  t.equal(run.code, 0);
  t.equal(run.stderr, '');
  const out = lines(run.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.equal(out.length, vectors.length);
  vectors.forEach((v, i) => {
    if (v.message !== undefined) t.strictSame(out[i], { ok: true, message: v.message }, v.name);
    else t.strictSame(out[i], { ok: false, error: v.error, detail: out[i]!.detail, input: v.wire }, v.name);
    if (v.error !== undefined) t.type(out[i]!.detail, 'string');
  });
});

t.test('frames as arguments; whitespace, upper case and a missing trailing 00 tolerated', async (t) => {
  const spaced = heartbeatHex.toUpperCase().replace(/(..)/g, '$1 ');
  const run = await runCli(['frames', 'decode', heartbeatHex, spaced, heartbeatHex.slice(0, -2)]);
  t.equal(run.code, 0);
  const out = lines(run.stdout).map((l) => JSON.parse(l) as { ok: boolean; message: { type: string; seq: number } });
  t.equal(out.length, 3);
  for (const line of out) t.match(line, { ok: true, message: { type: 'HEARTBEAT', seq: 7, heartbeatCount: 7 } });
});

t.test('a line that is not hex gives error hex; blank and idle-fill lines are skipped; exit stays 0', async (t) => {
  const run = await runCli(['frames', 'decode'], `zz\n\n   \n00\n00 00\n${heartbeatHex}\nabc\r\n`);
  t.equal(run.code, 0);
  const out = lines(run.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.equal(out.length, 3);
  t.match(out[0], { ok: false, error: 'hex', input: 'zz', detail: /'z'/ });
  t.match(out[1], { ok: true });
  t.match(out[2], { ok: false, error: 'hex', input: 'abc', detail: /odd/ });
});

t.test('a corrupted frame gives its error code, the detail and the input', async (t) => {
  const bad = vectors.find((v) => v.error === 'crc')!.wire;
  const run = await runCli(['frames', 'decode', bad]);
  t.equal(run.code, 0);
  const [line] = lines(run.stdout);
  t.match(JSON.parse(line!), { ok: false, error: 'crc', detail: /crc 0x[0-9a-f]{4} != computed/, input: bad });
});

t.test('--receiver filters by direction', async (t) => {
  const arm = Buffer.from(encodeMessage({ type: 'ARM', seq: 1, flags: 1, commandId: 3 })).toString('hex');
  const asHost = await runCli(['frames', 'decode', '--receiver', 'host', arm, heartbeatHex]);
  const out = lines(asHost.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(out, [{ ok: false, error: 'unknown-type' }, { ok: true }]);
  const asDevice = await runCli(['frames', 'decode', '--receiver', 'device', arm]);
  t.match(JSON.parse(lines(asDevice.stdout)[0]!), { ok: true, message: { type: 'ARM' } });
  const bad = await runCli(['frames', 'decode', '--receiver', 'radar', arm]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--receiver must be host or device/);
});

t.test('unknown option: usage error, exit 2', async (t) => {
  const run = await runCli(['frames', 'decode', '--bogus']);
  t.equal(run.code, 2);
  t.match(run.stderr, /bogus/);
  t.equal(run.stdout, '');
});

t.test('unreadable input: exit 3 with the reason', async (t) => {
  const broken = new Readable({
    read() {
      this.destroy(new Error('EIO: i/o error, read'));
    },
  });
  const run = await runCli(['frames', 'decode'], broken);
  t.equal(run.code, 3);
  t.match(run.stderr, /EIO/);
});

t.test('--help shows usage and examples', async (t) => {
  const run = await runCli(['frames', 'decode', '--help']);
  t.equal(run.code, 0);
  t.match(run.stdout, /Usage: shieldlink frames decode/);
  t.match(run.stdout, /Examples:/);
  const general = await runCli(['--help']);
  t.match(general.stdout, /frames decode/);
  t.match(general.stdout, /frames encode/);
});
