import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { runBench } from '../../src/compose/run-bench.js';
import { loadScenario } from '../../src/config/load-scenario.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { writeReportFiles } from '../../src/report/index.js';

/**
 * Every bundled scenario's ledger verifies intact, written by short virtual-time runs (the first
 * 45 simulated seconds of each; the whole of forced-non-threat, whose forced FIRE comes at about
 * 15 s), and the forced engagement of a non-threat is flagged with the rules it broke. Two runs
 * of the same scenario with the same key write byte-identical ledgers.
 */

const SCENARIOS = 'hil-configs/scenarios';

async function verify(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await verifyCommand.run(args, { stdout, stderr, stdin: new PassThrough(), isTty: false });
  return { code, out, err };
}

t.test('bundled scenarios: ledgers verify intact; the forced non-threat FIRE is flagged', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-ledger-'));
  const loaded = await loadBenchConfig('hil-configs/sim.yaml');
  // A joint scenario (nodes:) runs through the joint runner, one ledger per node (test/joint).
  const files: string[] = [];
  for (const f of (await readdir(SCENARIOS)).filter((f) => f.endsWith('.yaml')).sort()) {
    if ((await loadScenario(join(SCENARIOS, f))).nodes === undefined) files.push(f);
  }
  t.ok(files.includes('raid-50.yaml') && files.includes('forced-non-threat.yaml'));
  const pub = join(dir, 'keys', 'sim-1.node.pub.json');
  const freePolicy = join(dir, 'free-policy.yaml');
  await writeFile(freePolicy, 'engageableIff: [hostile, unknown]\n');
  for (const file of files) {
    const name = file.replace(/\.yaml$/, '');
    const forced = name === 'forced-non-threat';
    const result = await runBench({
      loaded,
      scenarioFile: join(SCENARIOS, file),
      virtualTime: true,
      broker: 'none',
      durationS: forced ? 80 : 45,
      recordFile: join(dir, `${name}.run`),
    });
    t.equal(result.ledger?.file, join(dir, `${name}.ledger`), `${name}: ledger beside the run file`);
    // friendly-in-the-mix goes weapons FREE, which the node declares lets it engage unknowns:
    // its partner's policy says the same.
    const partner = name === 'friendly-in-the-mix' ? ['--policy', freePolicy] : [];
    const r = await verify([join(dir, `${name}.ledger`), '--node-key', pub, '--json', ...partner]);
    const verdict = JSON.parse(r.out) as {
      pass: boolean;
      integrity: { ok: boolean };
      compliance: { violations: { rule: string; engagementId: number }[]; fires: unknown[] };
    };
    t.ok(verdict.integrity.ok, `${name}: integrity intact`);
    if (!forced) {
      t.equal(r.code, 0, `${name}: compliant (${JSON.stringify(verdict.compliance.violations.slice(0, 2))})`);
      continue;
    }
    t.equal(r.code, 1, 'forced-non-threat: verify fails');
    const rules = new Set(verdict.compliance.violations.map((v) => v.rule));
    t.ok(rules.has('target-not-engageable-iff'), 'names the IFF rule');
    t.ok(rules.has('target-not-inbound'), 'names the inbound rule');
    t.ok(rules.has('impact-outside-defended-assets'), 'names the defended-asset rule');
    t.equal(
      new Set(verdict.compliance.violations.map((v) => v.engagementId)).size,
      1,
      'one engagement, the forced one',
    );
    t.ok(verdict.compliance.fires.length >= 2, 'the hostile was engaged too, compliantly');
    const ledger = await readFile(join(dir, `${name}.ledger`), 'utf8');
    t.match(
      ledger,
      /"rule":"(operator|auto):free:unknown"/,
      'the decision records the engagement of an unknown under FREE',
    );

    // A partner zone where the aircraft came from: the outbound rule and the envelope rule fire.
    const policy = join(dir, 'policy.yaml');
    await writeFile(
      policy,
      'partner: partner-b\nprotectedZones:\n  - { id: pb-zone, position: { eastM: -15000, northM: 12000 }, radiusM: 5000 }\n',
    );
    const z = await verify([
      join(dir, `${name}.ledger`),
      '--node-key',
      pub,
      '--policy',
      policy,
      '--html',
      join(dir, 'v.html'),
    ]);
    t.equal(z.code, 1);
    t.match(z.out, /^ledger FAIL: .*protected-zone-outbound/m);
    t.match(z.out, /envelope-covers-protected-zone/);
    const html = await readFile(join(dir, 'v.html'), 'utf8');
    t.match(html, /protected-zone-outbound/);
    t.match(html, /(operator|auto):free:unknown/);
  }

  // The report shows the ledger's head, its verdict and each FIRE's justification.
  const report = await writeReportFiles({ runFile: join(dir, 'forced-non-threat.run'), outFile: join(dir, 'r.html') });
  const page = await readFile(report, 'utf8');
  t.match(page, /<h2>Decision ledger<\/h2>/);
  t.match(page, /ledger FAIL: node sim-1, .* root [0-9a-f]{16}/);
  t.match(page, /target-not-inbound/);
  t.match(page, /auto:(tight|free):hostile/, 'the compliant FIRE with its rule');

  // The same scenario with the same key: the same ledger bytes (Ed25519 is deterministic).
  await runBench({
    loaded,
    scenarioFile: join(SCENARIOS, 'short-salvo.yaml'),
    virtualTime: true,
    broker: 'none',
    durationS: 45,
    recordFile: join(dir, 'again.run'),
  });
  t.equal(
    await readFile(join(dir, 'again.ledger'), 'utf8'),
    await readFile(join(dir, 'short-salvo.ledger'), 'utf8'),
    'byte-identical ledgers',
  );

  // Clear errors, never a crash.
  const sb = join(dir, 'single-ballistic.ledger');
  await t.rejects(verify([sb]), { code: 'usage', message: /--node-key/ }, 'no --node-key: usage error (exit 2)');
  t.match(await verify([join(dir, 'missing.ledger'), '--node-key', pub]), { code: 3, err: /cannot read .*ENOENT/ });
  await writeFile(join(dir, 'garbage.ledger'), 'not a ledger at all\n');
  t.match(await verify([join(dir, 'garbage.ledger'), '--node-key', pub]), { code: 3, err: /not a ledger/ });
  await writeFile(
    join(dir, 'other.pub.json'),
    (await readFile(pub, 'utf8')).replace('"sim-1"', '"sim-9"').replace(/"keyId": "[0-9a-f]+"/, (m) => m),
  );
  const text = await readFile(sb, 'utf8');
  await writeFile(join(dir, 'cut.ledger'), text.slice(0, Math.floor(text.length / 2)));
  const cut = await verify([join(dir, 'cut.ledger'), '--node-key', pub]);
  t.equal(cut.code, 1, 'a truncated ledger fails');
  t.match(cut.out, /truncated|not-closed/);
  await writeFile(policy(dir), 'engageableIff: [martian]\n');
  t.match(await verify([sb, '--node-key', pub, '--policy', policy(dir)]), { code: 2, err: /policy .*engageableIff/ });
});

function policy(dir: string): string {
  return join(dir, 'bad-policy.yaml');
}
