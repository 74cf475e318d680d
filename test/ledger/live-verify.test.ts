import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import mqtt from 'mqtt';
import t from 'tap';
import { NodeKey } from '../../src/bridge/index.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { Mosquitto } from '../bridge/support/mosquitto.js';
import { skipUnlessTools } from '../support/require-tool.js';

/**
 * Live verification against a real Mosquitto: a run publishes its ledger on
 * `shieldlink/v1/sim-1/shared/ledger` and `verify --live` following it passes at the final head,
 * with the same root as the file; a tampered feed (one entry changed, replayed by hand) is
 * reported as the lines arrive, before its final head, and fails.
 */
const skip = skipUnlessTools('mosquitto');

function startVerify(args: string[]): { done: Promise<number>; out: () => string } {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const done = verifyCommand.run(args, { stdout, stderr: stdout, stdin: new PassThrough(), isTty: false });
  return { done, out: () => out };
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  for (let waited = 0; !check() && waited < ms; waited += 50) await new Promise((r) => setTimeout(r, 50));
}

t.test('verify --live follows a run on a real broker and catches a tampered feed', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-live-ledger-'));
  const broker = await Mosquitto.start(dir);
  t.teardown(() => broker.stop());
  await mkdir(join(dir, 'keys'), { mode: 0o700 });
  await NodeKey.loadOrCreate(join(dir, 'keys', 'sim-1.node.key.json'), 'sim-1');
  const pub = join(dir, 'keys', 'sim-1.node.pub.json');
  const live = ['--live', '--broker', broker.url, '--node', 'sim-1', '--node-key', pub, '--idle-s', '120'];

  const honest = startVerify(live);
  await until(() => honest.out().includes('following'));
  await runBench({
    loaded: await loadBenchConfig('hil-configs/sim.yaml'),
    scenarioFile: 'hil-configs/scenarios/single-ballistic.yaml',
    virtualTime: true,
    broker: broker.url,
    durationS: 40,
    recordFile: join(dir, 'run.run'),
  });
  const code = await honest.done;
  t.equal(code, 0, `live verification passes:\n${honest.out()}`);
  t.match(honest.out(), /ledger PASS \(live\): node sim-1, \d+ entries, 1 FIREs/);
  const file = (await readFile(join(dir, 'run.ledger'), 'utf8')).split('\n').filter((l) => l !== '');
  const finalRoot = (JSON.parse(file.at(-1)!) as { root: string }).root;
  t.match(honest.out(), new RegExp(`root ${finalRoot.slice(0, 16)}… verified \\(final\\)`), 'the same final root');
  t.notMatch(honest.out(), /VIOLATION/);

  // A tampered feed: one entry's time changed, replayed by hand on the same topic.
  const tampered = startVerify([...live.slice(0, -2), '--idle-s', '20', '--json']);
  await until(() => tampered.out().includes('"kind"') || tampered.out().length > 0, 1_000);
  await new Promise((r) => setTimeout(r, 500)); // subscribed (the retained header arrives first)
  const at = file.findIndex((l, i) => i > 4 && l.startsWith('{"e":'));
  const lines = [...file];
  lines[at] = lines[at]!.replace(/"atUs":(\d)/, '"atUs":9$1');
  const client = await mqtt.connectAsync(broker.url);
  let violationBeforeFinal = false;
  for (const [i, line] of lines.slice(1).entries()) {
    await client.publishAsync('shieldlink/v1/sim-1/shared/ledger', line, { qos: 1 });
    if (i === lines.length - 3) {
      await until(() => tampered.out().includes('"integrity"'), 5_000);
      violationBeforeFinal = tampered.out().includes('"integrity"');
    }
  }
  await client.endAsync();
  t.equal(await tampered.done, 1, 'the tampered feed fails');
  t.ok(violationBeforeFinal, 'reported as it happened, before the final head');
  t.match(tampered.out(), /"rule":"root-mismatch"/);
  t.match(tampered.out(), /"kind":"verdict","pass":false/);

  await t.rejects(
    verifyCommand.run(['--live', '--node-key', pub], {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      isTty: false,
    }),
    { message: /--broker/ },
  );
});
