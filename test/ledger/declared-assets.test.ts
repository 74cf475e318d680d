import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import t from 'tap';
import type { CommandIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

/**
 * The ledger declares the scenario's own defended assets (circles and polygons), so a partner's
 * `verify` judges every FIRE against them: on saturation.yaml the expected-value doctrine fires
 * only at threats to an asset and verifies clean, while the earliest-impact baseline's rounds on
 * threats to open ground are each flagged impact-outside-defended-assets.
 */

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.resume();
  const io: CommandIo = { stdout, stderr, stdin: Readable.from([]), isTty: false };
  return { code: await main(argv, io), out };
}

t.test('saturation: the baseline doctrine fires at threats to no declared asset, and verify says so', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-assets-ledger-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const run = join(dir, 'sat.run');
  const ran = await cli([
    'run',
    '--scenario',
    'hil-configs/scenarios/saturation.yaml',
    '--virtual-time',
    '--compare-doctrine',
    'earliest-impact',
    '--broker',
    'none',
    '--record',
    run,
    '--quiet',
    '--json',
  ]);
  t.equal(ran.code, 0, 'the run passed its own measurements');
  const pub = (await readdir(join(dir, 'keys'))).find((f) => f.endsWith('.node.pub.json'));
  t.ok(pub, 'the node key pair was made');
  const key = join(dir, 'keys', pub!);

  const chosen = await cli(['verify', join(dir, 'sat.ledger'), '--node-key', key, '--json']);
  t.equal(chosen.code, 0, 'expected-value: every FIRE against a threat to a declared asset');

  const baseline = await cli(['verify', join(dir, 'sat.earliest-impact.ledger'), '--node-key', key, '--json']);
  t.equal(baseline.code, 1, 'earliest-impact: violations');
  const report = JSON.parse(baseline.out) as { pass: boolean; compliance: { violations: { rule: string }[] } };
  t.equal(report.pass, false);
  const rules = report.compliance.violations.map((v) => v.rule);
  t.ok(rules.length > 0, 'at least one violation');
  t.ok(
    rules.every((r) => r === 'impact-outside-defended-assets'),
    `only impacts outside the assets are flagged (${rules.join(', ')})`,
  );
});
