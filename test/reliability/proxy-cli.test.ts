import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli, startCli } from './support/cli-process.js';
import { skipUnlessTools } from '../support/require-tool.js';

/**
 * `shieldlink proxy` as a bench uses it: the simulator in its own process on PTYs, the proxy
 * between the launcher's PTY and a new PTY pair, the conformance kit as the host — three
 * processes, real time, real serialport binding.
 */

const SCENARIO = 'test/conformance/fixtures/conformance-bench.yaml';
t.setTimeout(240_000);

t.test('bad fault specs and options exit 2 with one line, starting nothing', async (t) => {
  const bad = await runCli(['proxy', '--device', 'serial:/dev/null', '--faults', 'drop=1.5']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--faults: fault 'drop=1.5': rate '1.5' is not a probability from 0 to 1/);
  t.equal(bad.stderr.trim().split('\n').length, 1, 'one line');
  const missing = await runCli(['proxy', '--faults', 'drop=0.1']);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /--device URL is required/);
});

t.test(
  'sim → proxy (faults on, logged) → conformance: every fault logged, nothing unsafe, launcher left SAFE',
  { skip: skipUnlessTools('socat') },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sl-proxy-'));
    const truthFile = join(dir, 'truth.jsonl');
    const logFile = join(dir, 'faults.jsonl');
    const sim = startCli(['sim', '--scenario', SCENARIO, '--truth', truthFile]);
    t.teardown(() => sim.stop().then(() => undefined));
    const launcherLink = await sim.waitForLine<{ link: string }>((v) => v.device === 'launcher-1', 60_000);
    const FAULTS = 'drop=0.0005,flip=0.0002,dup=0.01,garbage=0.0002';
    const proxy = startCli([
      'proxy',
      '--device',
      launcherLink.link,
      '--host',
      'pty',
      '--faults',
      FAULTS,
      '--seed',
      '5',
      '--log',
      logFile,
    ]);
    t.teardown(() => proxy.stop().then(() => undefined));
    const ready = await proxy.waitForLine<{ hostLink: string }>((v) => typeof v.hostLink === 'string', 60_000);
    t.match(ready.hostLink, /^serial:\/dev\/pts\/\d+$/, `proxy prints the host link ${ready.hostLink}`);

    const result = await runCli([
      'conformance',
      '--device',
      'launcher',
      '--link',
      ready.hostLink,
      '--allow-fire',
      '--timeout-scale',
      '3',
      '--timing-slack-ms',
      '10',
      '--json',
    ]);
    t.ok(result.code === 0 || result.code === 1, `the kit ran to its end through the faults (exit ${result.code})`);
    const rules = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { rule?: string; outcome?: string; status?: string });
    t.comment(`conformance through the proxy: ${rules.length} lines, last ${JSON.stringify(rules.at(-1))}`);

    const proxyEnd = await proxy.stop('SIGINT');
    t.equal(proxyEnd.code, 0, 'proxy stops cleanly on SIGINT');
    const end = JSON.parse(proxy.lines.at(-1)!) as Record<
      'to-host' | 'to-device',
      { dropped: number; flipped: number; duplicatedFrames: number; garbageBursts: number; bytesIn: number }
    >;
    const injected = (['to-host', 'to-device'] as const).reduce(
      (n, d) => n + end[d].dropped + end[d].flipped + end[d].duplicatedFrames + end[d].garbageBursts,
      0,
    );
    const logged = (await readFile(logFile, 'utf8'))
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { fault: string });
    t.comment(`proxy counters: ${JSON.stringify(end)}; faults injected ${injected}, logged ${logged.length}`);
    t.ok(injected > 0, 'faults were injected');
    t.equal(logged.length, injected, 'each injected fault is one log line');

    await sim.stop('SIGTERM');
    const truth = (await readFile(truthFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; state?: string; launcherId?: string });
    t.equal(truth.filter((r) => r.kind === 'fire-while-link-down').length, 0, 'no FIRE while the link was down');
    t.equal(truth.filter((r) => r.kind === 'duplicate-execution').length, 0, 'no command executed twice');
    const states = truth.filter((r) => r.kind === 'launcher-state');
    t.comment(
      `launches ${truth.filter((r) => r.kind === 'launch').length}; last launcher state ${JSON.stringify(states.at(-1))}`,
    );
    t.equal(states.at(-1)?.state, 'safe', 'the launcher ends SAFE');
  },
);
