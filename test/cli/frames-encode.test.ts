import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import t from 'tap';
import { lines, runCli } from './frames-io.js';

interface Vector {
  name: string;
  wire: string;
  message?: unknown;
}
const valid = (JSON.parse(readFileSync(new URL('../vectors/frames.json', import.meta.url), 'utf8')) as Vector[]).filter(
  (v) => v.message !== undefined,
);

t.test('every golden message through stdin gives its wire hex', async (t) => {
  const run = await runCli(['frames', 'encode'], valid.map((v) => JSON.stringify(v.message)).join('\n') + '\n');
  t.equal(run.code, 0);
  t.equal(run.stderr, '');
  t.strictSame(
    lines(run.stdout),
    valid.map((v) => v.wire),
  );
});

t.test('decode | encode reproduces the capture', async (t) => {
  const decoded = await runCli(['frames', 'decode'], valid.map((v) => v.wire).join('\n'));
  const encoded = await runCli(['frames', 'encode'], decoded.stdout);
  t.equal(encoded.code, 0);
  t.strictSame(
    lines(encoded.stdout),
    valid.map((v) => v.wire),
  );
});

t.test('messages as arguments', async (t) => {
  const run = await runCli(['frames', 'encode', JSON.stringify(valid[0]!.message), JSON.stringify(valid[1]!.message)]);
  t.equal(run.code, 0);
  t.strictSame(lines(run.stdout), [valid[0]!.wire, valid[1]!.wire]);
});

t.test('bad lines: one stderr line each, every other line still encoded, exit 2 at the end', async (t) => {
  const good = JSON.stringify(valid[0]!.message);
  const input = [
    good,
    '{not json',
    '[1,2]',
    '{"type":"ARM","seq":1,"flags":1,"commandId":-1}',
    '',
    '{"type":"WARP","seq":1,"flags":0}',
    good,
  ].join('\n');
  const run = await runCli(['frames', 'encode'], input);
  t.equal(run.code, 2);
  t.strictSame(lines(run.stdout), [valid[0]!.wire, valid[0]!.wire]);
  const errors = lines(run.stderr);
  t.equal(errors.length, 4);
  t.match(errors[0], /^shieldlink frames encode: line 2: not JSON/);
  t.match(errors[1], /^shieldlink frames encode: line 3: expected a JSON object/);
  t.match(errors[2], /^shieldlink frames encode: line 4: ARM\.commandId: -1 is not an integer/);
  t.match(errors[3], /^shieldlink frames encode: line 6: unknown message type WARP/);
});

t.test('unreadable input: exit 3', async (t) => {
  const broken = new Readable({
    read() {
      this.destroy(new Error('EIO: i/o error, read'));
    },
  });
  const run = await runCli(['frames', 'encode'], broken);
  t.equal(run.code, 3);
  t.match(run.stderr, /EIO/);
});

t.test('--help shows usage and examples', async (t) => {
  const run = await runCli(['frames', 'encode', '--help']);
  t.equal(run.code, 0);
  t.match(run.stdout, /Usage: shieldlink frames encode/);
  t.match(run.stdout, /Examples:/);
});
