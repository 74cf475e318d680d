import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import t, { type Test } from 'tap';
import type { CommandIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { reportFilePaths, writeReportFiles } from '../../src/report/index.js';
import type { RunFileContents } from '../../src/record/run-reader.js';
import { fixtureRun, fixtureSummary, fixtureTruth } from './report-fixture.js';

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString('utf8')));
  stderr.on('data', (c: Buffer) => err.push(c.toString('utf8')));
  const io: CommandIo = { stdout, stderr, stdin: Readable.from([]), isTty: false };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const jsonl = (records: readonly unknown[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Write the fixture run (and, unless told otherwise, its truth and summary) to a fresh directory. */
async function fixtureFiles(
  t: Test,
  options: { truth?: boolean; summary?: boolean; run?: RunFileContents } = {},
): Promise<{ dir: string; runFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'shieldlink-report-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const runFile = join(dir, 'bench.run');
  const run = options.run ?? fixtureRun();
  await writeFile(runFile, jsonl([run.manifest, ...run.records]));
  if (options.truth !== false) await writeFile(join(dir, 'bench.truth.jsonl'), jsonl(fixtureTruth()));
  if (options.summary !== false) await writeFile(join(dir, 'bench.summary.json'), JSON.stringify(fixtureSummary()));
  return { dir, runFile };
}

t.test('companion file names follow the run file', async (t) => {
  t.strictSame(reportFilePaths('runs/x.run'), {
    truthFile: 'runs/x.truth.jsonl',
    summaryFile: 'runs/x.summary.json',
    reportFile: 'runs/x.report.html',
  });
  t.equal(reportFilePaths('x.jsonl').reportFile, 'x.jsonl.report.html');
});

t.test('report RUNFILE: finds truth and summary by name, writes X.report.html, prints its path', async (t) => {
  const { dir, runFile } = await fixtureFiles(t);
  const run = await cli(['report', runFile]);
  t.equal(run.stderr, '');
  t.equal(run.code, 0);
  const out = join(dir, 'bench.report.html');
  t.equal(run.stdout, `${out}\n`);
  const html = await readFile(out, 'utf8');
  t.match(html, /Kill ✕/, 'truth was read');
  t.match(html, /measurement failed: no leakers/, 'summary was read');
});

t.test('-o and --json; the output directory is created', async (t) => {
  const { dir, runFile } = await fixtureFiles(t);
  const out = join(dir, 'deep', 'er', 'r.html');
  const run = await cli(['report', runFile, '-o', out, '--json', '--title', 'Bench 2']);
  t.equal(run.code, 0);
  t.strictSame(JSON.parse(run.stdout), { reportFile: out });
  t.match(await readFile(out, 'utf8'), /<title>Bench 2<\/title>/);
});

t.test('a run file alone still makes a report (host view, no verdict)', async (t) => {
  const { dir, runFile } = await fixtureFiles(t, { truth: false, summary: false });
  t.equal((await cli(['report', runFile])).code, 0);
  t.match(await readFile(join(dir, 'bench.report.html'), 'utf8'), /NO VERDICT/);
});

t.test('radar positions come from the scenario: explicit, or found by name and hash', async (t) => {
  const scenarioText = await readFile('hil-configs/scenarios/single-ballistic.yaml', 'utf8');
  const run = fixtureRun();
  const sha256 = createHash('sha256').update(scenarioText).digest('hex');
  const withScenario = { ...run, manifest: { ...run.manifest, scenario: { name: 'bench-scenario.yaml', sha256 } } };
  const { dir, runFile } = await fixtureFiles(t, { run: withScenario });
  await writeFile(join(dir, 'bench-scenario.yaml'), scenarioText);
  t.equal((await cli(['report', runFile])).code, 0);
  t.match(await readFile(join(dir, 'bench.report.html'), 'utf8'), /"label":"Radar"/, 'found next to the run file');
  await writeFile(join(dir, 'bench-scenario.yaml'), scenarioText + '\n# edited\n');
  t.equal((await cli(['report', runFile])).code, 0);
  t.notMatch(await readFile(join(dir, 'bench.report.html'), 'utf8'), /"label":"Radar"/, 'a different file is not used');
  t.equal((await cli(['report', runFile, '--scenario', join(dir, 'bench-scenario.yaml')])).code, 0);
  t.match(await readFile(join(dir, 'bench.report.html'), 'utf8'), /"label":"Radar"/, 'given explicitly: used');
});

t.test('exit 2 on usage errors, nothing written', async (t) => {
  for (const argv of [['report'], ['report', 'a.run', 'b.run'], ['report', 'a.run', '--bogus']]) {
    const run = await cli(argv);
    t.equal(run.code, 2, argv.join(' '));
    t.equal(run.stderr.trim().split('\n').length, 1, 'one line');
  }
});

t.test('exit 3 on unreadable inputs, one clear line', async (t) => {
  const { dir, runFile } = await fixtureFiles(t);
  const missing = await cli(['report', join(dir, 'nope.run')]);
  t.equal(missing.code, 3);
  t.match(missing.stderr, /cannot read .*nope\.run: ENOENT/);
  await writeFile(join(dir, 'junk.run'), 'this is not json\n{}\n');
  t.equal((await cli(['report', join(dir, 'junk.run')])).code, 3);
  const noTruth = await cli(['report', runFile, '--truth', join(dir, 'none.jsonl')]);
  t.equal(noTruth.code, 3);
  t.match(noTruth.stderr, /truth log/);
  await writeFile(join(dir, 'bad.summary.json'), '[1, 2]');
  const badSummary = await cli(['report', runFile, '--summary', join(dir, 'bad.summary.json')]);
  t.equal(badSummary.code, 3);
  t.match(badSummary.stderr, /expected a JSON object/);
  await writeFile(join(dir, 'bad.truth.jsonl'), '{"kind":"target","tUs":1}\nnot json\n{"kind":"run-end","tUs":2}\n');
  t.equal((await cli(['report', runFile, '--truth', join(dir, 'bad.truth.jsonl')])).code, 3);
  t.equal((await cli(['report', runFile, '--scenario', join(dir, 'none.yaml')])).code, 3);
  for (const run of [missing, noTruth, badSummary]) t.notMatch(run.stderr, /\n\s+at /, 'no stack trace');
});

t.test('a truth log cut mid-line (simulator killed) is read to its last whole record', async (t) => {
  const { dir, runFile } = await fixtureFiles(t);
  const cut = jsonl(fixtureTruth()).slice(0, -40);
  await writeFile(join(dir, 'cut.truth.jsonl'), cut);
  const run = await cli(['report', runFile, '--truth', join(dir, 'cut.truth.jsonl')]);
  t.equal(run.code, 0);
});

t.test('--help has usage, examples and exit codes', async (t) => {
  const run = await cli(['report', '--help']);
  t.equal(run.code, 0);
  t.match(run.stdout, /Usage: shieldlink report RUNFILE/);
  t.match(run.stdout, /Examples:/);
  t.match(run.stdout, /Exit codes: 0 written, 2 usage, 3/);
  t.match((await cli(['--help'])).stdout, /report\s+write the after-action HTML report/);
});

t.test('writeReportFiles: the function the run command calls', async (t) => {
  const { dir, runFile } = await fixtureFiles(t);
  const outFile = join(dir, 'from-run.html');
  const written = await writeReportFiles({
    runFile,
    truthFile: join(dir, 'bench.truth.jsonl'),
    summaryFile: join(dir, 'bench.summary.json'),
    outFile,
  });
  t.equal(written, outFile);
  t.match(await readFile(outFile, 'utf8'), /<div class="verdict fail"/);
});
