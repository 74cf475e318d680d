import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import t from 'tap';
import { onePositional, parseCommandArgs } from '../../src/cli/command-args.js';
import { type CommandIo, UsageError } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

t.test('options and positionals parse into typed values', async (t) => {
  const { values, positionals } = parseCommandArgs(['a.run', '--out', 'x.html', '--json'], {
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
  });
  t.same(values, { out: 'x.html', json: true });
  t.equal(onePositional(positionals, 'RUNFILE'), 'a.run');
});

t.test('every malformed command line is a UsageError (exit 2), never another error', async (t) => {
  const options = { out: { type: 'string' }, json: { type: 'boolean' } } as const;
  for (const args of [['--nope'], ['--out'], ['--json=yes'], ['-z']]) {
    t.throws(() => parseCommandArgs(args, options), UsageError, args.join(' '));
  }
  t.throws(() => onePositional([], 'RUNFILE'), new UsageError('expected exactly one RUNFILE (see --help)'));
  t.throws(() => onePositional(['a', 'b'], 'RUNFILE'), UsageError);
});

async function cli(argv: string[]): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const err: string[] = [];
  stdout.resume();
  stderr.on('data', (c: Buffer) => err.push(c.toString('utf8')));
  const io: CommandIo = { stdout, stderr, stdin: Readable.from([]), isTty: false };
  const code = await main(argv, io);
  return { code, stderr: err.join('') };
}

t.test('export and import: unusable input is one line naming the command, exit 2', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'shieldlink-args-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const notMcap = join(dir, 'x.mcap');
  const notRun = join(dir, 'x.run');
  await writeFile(notMcap, 'this is not an MCAP file\n');
  await writeFile(notRun, '{"not":"a run file"}\n');
  const imported = await cli(['import', notMcap, '--out', join(dir, 'out.run')]);
  t.equal(imported.code, 2);
  t.match(imported.stderr, /^shieldlink import: /);
  const exported = await cli(['export', notRun, '--mcap', join(dir, 'out.mcap')]);
  t.equal(exported.code, 2);
  t.match(exported.stderr, /^shieldlink export: /);
  t.equal((await cli(['export', notRun])).code, 2, '--mcap missing');
  t.equal((await cli(['report', notRun, '--bogus'])).code, 2, 'unknown option');
});
