import t from 'tap';
import { main } from '../../src/cli/main.js';
import { createConformanceCommand } from '../../src/cli/commands/conformance.js';
import { captureIo } from './support/capture-io.js';
import { drive, simBench } from './support/sim-bench.js';

t.test('usage errors exit 2 with one line naming the problem', async (t) => {
  const cases: [string[], RegExp][] = [
    [['conformance', '--link', 'serial:/dev/pts/7'], /missing --device radar\|launcher/],
    [
      ['conformance', '--device', 'sonar', '--link', 'serial:/dev/pts/7'],
      /--device sonar: expected radar, launcher or ttm/,
    ],
    [['conformance', '--device', 'radar'], /missing --link URL/],
    [['conformance', '--device', 'radar', '--link', 'usb:/dev/x'], /unknown scheme 'usb:'/],
    [
      ['conformance', '--device', 'radar', '--link', 'tcp://127.0.0.1:1', '--timeout-scale', '0'],
      /--timeout-scale 0: expected a positive number/,
    ],
    [
      ['conformance', '--device', 'radar', '--link', 'tcp://127.0.0.1:1', '--aim', '1,2'],
      /--aim 1,2: expected east,north,up/,
    ],
    [
      ['conformance', '--device', 'radar', '--link', 'tcp://127.0.0.1:1', '--rule', 'ICD-NOPE-1'],
      /unknown rule ICD-NOPE-1/,
    ],
    [
      ['conformance', '--device', 'radar', '--link', 'tcp://127.0.0.1:1', '--rule', 'ICD-LNCH-006'],
      /ICD-LNCH-006 applies to launchers, not to a radar/,
    ],
    [['conformance', '--device', 'radar', '--link', 'tcp://127.0.0.1:1', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [argv, message] of cases) {
    const io = captureIo();
    t.equal(await main(argv, io), 2, argv.join(' '));
    t.match(io.stderrText(), message);
  }
});

t.test('a link that cannot be opened exits 3', async (t) => {
  const io = captureIo();
  const code = await main(
    ['conformance', '--device', 'launcher', '--link', 'tcp://127.0.0.1:1?connectTimeoutMs=500'],
    io,
  );
  t.equal(code, 3);
  t.match(io.stderrText(), /^shieldlink conformance: cannot open tcp:\/\/127\.0\.0\.1:1/);
  t.equal(io.stdoutText(), '');
});

t.test('--help documents the options and exit codes', async (t) => {
  const io = captureIo();
  t.equal(await main(['conformance', '--help'], io), 0);
  for (const word of [
    '--allow-fire',
    '--timeout-scale',
    '--timing-slack-ms',
    '--strict',
    '--rule',
    '--json',
    'Exit codes: 0',
  ])
    t.match(io.stdoutText(), word);
});

t.test('text output: one line per rule, then the device and the summary; exit 0', async (t) => {
  const bench = await simBench();
  const command = createConformanceCommand({
    clock: () => bench.clock,
    createTransport: () => bench.hostEnd('launcher-1'),
    onInterrupt: () => () => undefined,
  });
  const io = captureIo();
  const args = [
    '--device',
    'launcher',
    '--link',
    'memory:launcher-1',
    '--rule',
    'ICD-LNCH-011',
    '--rule',
    'ICD-LNCH-009',
  ];
  const code = await drive(bench.clock, command.run(args, io));
  t.equal(code, 0);
  const lines = io.stdoutText().trimEnd().split('\n');
  t.match(
    lines[0],
    /^SKIP ICD-LNCH-009 {2}FIRE launches at executeAtUs.* \(a FIRE executes: a launch on a real bench; run with --allow-fire where a launch is harmless\)$/,
  );
  t.equal(
    lines[1],
    'PASS ICD-LNCH-011  SLEW outside azimuth [0, 360) or elevation [0, 90] is refused with NAK bad-field',
  );
  t.match(lines[2], /^device: launcher, serial \d+, firmware 1\.0\.0, schema 0x[0-9a-f]{8}$/);
  t.equal(lines[3], 'conformance launcher: 1 passed, 0 failed, 1 skipped, 0 blocked');
  await bench.sim.stop();
});

t.test('--json: one object per rule and a summary; a failed rule exits 1', async (t) => {
  const bench = await simBench();
  bench.sim.faults('radar-1').inject({ kind: 'slow', delayMs: 30 });
  const command = createConformanceCommand({
    clock: () => bench.clock,
    createTransport: () => bench.hostEnd('radar-1'),
    onInterrupt: () => () => undefined,
  });
  const io = captureIo();
  const args = [
    '--device',
    'radar',
    '--link',
    'memory:radar-1',
    '--json',
    '--rule',
    'ICD-CMN-005',
    '--rule',
    'ICD-RDR-002',
  ];
  const code = await drive(bench.clock, command.run(args, io));
  t.equal(code, 1);
  const objects = io
    .stdoutText()
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  t.equal(objects.length, 3);
  t.match(objects[0], { rule: 'ICD-CMN-005', status: 'fail', detail: /after 30\.\d+ ms, limit 20 ms/ });
  t.match(objects[1], { rule: 'ICD-RDR-002', status: 'pass' });
  t.match(objects[2], {
    summary: true,
    device: 'radar',
    passed: 1,
    failed: 1,
    skipped: 0,
    blocked: 0,
    ok: false,
    identity: { deviceKind: 'radar' },
  });
  await bench.sim.stop();
});

t.test('SIGINT: the run stops, the launcher is sent SAFE, exit 130', async (t) => {
  const bench = await simBench();
  let interrupt: () => void = () => undefined;
  const command = createConformanceCommand({
    clock: () => bench.clock,
    createTransport: () => bench.hostEnd('launcher-1'),
    onInterrupt: (handler) => {
      interrupt = handler;
      return () => undefined;
    },
  });
  const io = captureIo();
  const run = command.run(['--device', 'launcher', '--link', 'memory:launcher-1', '--rule', 'ICD-LNCH-002'], io);
  // Interrupt as soon as ICD-LNCH-002 has the launcher ARMED.
  const launcher = bench.sim.launcher('launcher-1');
  const poll = (): void => {
    if (launcher.state === 'armed') interrupt();
    else bench.clock.setTimer(10_000, poll);
  };
  poll();
  t.equal(await drive(bench.clock, run), 130);
  t.match(io.stdoutText(), /SKIP ICD-LNCH-002 .* \(interrupted\)\n/);
  t.match(io.stdoutText(), /conformance launcher: 0 passed, 0 failed, 1 skipped, 0 blocked \(interrupted\)\n$/);
  t.equal(bench.sim.launcher('launcher-1').state, 'safe');
  await bench.sim.stop();
});
