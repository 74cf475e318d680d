import { parseArgs } from 'node:util';
import {
  type AimPoint,
  type ConformanceReport,
  ConformanceError,
  DEFAULT_AIM_POINT,
  DEFAULT_FIRE_TOLERANCE_US,
  type DeviceKind,
  runConformance,
} from '../../conformance/index.js';
import type { Clock } from '../../time/clock.js';
import { RealClock } from '../../time/real-clock.js';
import { type Transport, TransportError, createTransport } from '../../transport/index.js';
import { type Command, EXIT_RUNTIME, UsageError } from '../command.js';
import { conformanceExitCode, writeConformanceSummary, writeRuleResult } from './conformance-output.js';
import { TTM_HELP, runTtmConformance } from './conformance-ttm.js';

export { EXIT_INTERRUPTED } from './conformance-output.js';

const HELP = `Usage: shieldlink conformance --device radar|launcher --link URL [options]
       shieldlink conformance --device ttm --link URL [--listen-s S] [--max-interval-s S] [--json]

Judge a radar or launcher controller — the simulator or a real board — against every
normative rule of the ICD (docs/protocol.md) that can be checked over a link, by rule id.
The kit uses its own frame I/O, not the host drivers: it sends real frames, deliberately
malformed ones included (bad CRC, bad COBS, reserved flags, wrong version, unknown type,
over-long runs, wrong payload sizes, undefined enum codes), and judges the answers and their
timing. Each check first brings the device to a known state (HELLO, host heartbeat, a
launcher SAFE) and has its own time budget, so one failing rule never fails the next.
A check whose path needs a rule the device broke is reported BLOCKED ("cannot judge: depends
on ICD-… which failed"), never as a failure of its own rule; the device's output is audited
over the whole run, so an invalid frame fails the frame rule it breaks wherever it came.
Host rules bind the host and are not listed. ICD-LNCH-012 (FAULT) needs a launcher the bench
has put in FAULT — no command causes one — so it runs only with --rule ICD-LNCH-012.

Options:
  --device radar|launcher   the kind of controller on the link (required)
  --link URL                serial:/dev/ttyUSB0?baud=921600, serial:/dev/pts/7 (as printed
                            by 'shieldlink sim'), tcp://192.168.1.50:4001 (required)
  --rule ID                 run only this rule; repeatable (e.g. --rule ICD-LNCH-006)
  --json                    one JSON object per rule, then a summary object
  --timeout-scale N         multiply every wait (how long the kit waits before calling an
                            answer missing), for slow adapters or a loaded machine. Never
                            changes a limit. Default 1.
  --strict                  a rule that cannot be exercised on this device (SKIP) fails.
  --allow-fire              also run the checks that let a FIRE execute (ICD-LNCH-009) or that
                            a nonconforming launcher would execute at once (ICD-LNCH-006).
                            ON A REAL BENCH THESE LAUNCH: only where a launch is harmless.
  --aim E,N,U               aim point of every FIRE, metres in the bench ENU frame
                            (default ${DEFAULT_AIM_POINT.eastM},${DEFAULT_AIM_POINT.northM},${DEFAULT_AIM_POINT.upM})
  --timing-slack-ms N       the kit measures its own scheduling error during the run (a timer
                            every 5 ms; p99 and max in the summary) and widens every limit
                            judged from arrival times (ACK within 20 ms, TIME_SYNC within 5 ms,
                            status within 20 ms of a change) by that, and by nothing else. Up to
                            N ms of it may also widen the upper limits judged from the device's
                            own timestamps (heartbeat 60 ms, status gap 105 ms, launch late
                            side +${DEFAULT_FIRE_TOLERANCE_US / 1000} ms) — for a simulator sharing this machine, whose
                            timers are late by the same scheduling. Never widened: a launch
                            early, a heartbeat too soon, t3 − t2 <= 5 ms. Default 0.

The kit's own timing: during each check it measures how late its own timers run and how long
its host heartbeat lapses. A check during which its timers ran later than the tightest limit
the check judges (at most 100 ms), or its heartbeat lapsed more than 150 ms (3 periods: the
device may rightly act on a silent host), is reported INCONCLUSIVE with those figures and the
verdict it would have given — never PASS or FAIL.

Safety: without --allow-fire every FIRE the kit expects to be accepted is scheduled 10 s
ahead and aborted. A launcher is sent SAFE after every check, at the end, and on Ctrl-C
(a second Ctrl-C exits at once).

Against the simulator in real time on a busy machine (the simulator sharing it) CI uses
--timeout-scale 3 --timing-slack-ms 1000: the measured scheduling error decides, and a launch
2 ms early or a TIME_SYNC answered after 6 ms still fails. Waits (not limits) also grow by the
measured error.

Output, one line per rule, then a summary:
  PASS ICD-LNCH-006  FIRE late is refused with NAK late
  FAIL ICD-LNCH-006  FIRE late is refused with NAK late (expected NAK late to FIRE 100 ms late, got ACK)
  SKIP ICD-LNCH-009  ... (a FIRE executes: a launch on a real bench; run with --allow-fire ...)
  BLOCKED ICD-LNCH-005  ... (cannot judge: depends on ICD-LNCH-002 which failed (the check arms the launcher))
  INCONCLUSIVE ICD-LNCH-002  ... (cannot judge: the kit's own timing failed during the check — its heartbeat lapsed for 420 ms, ...)
  conformance launcher: 36 passed, 0 failed, 0 skipped, 0 blocked   (", 1 inconclusive" when any)

Examples:
  shieldlink sim --scenario test/conformance/fixtures/conformance-bench.yaml   # prints the links
  shieldlink conformance --device launcher --link serial:/dev/pts/7 --allow-fire --timeout-scale 3 --timing-slack-ms 1000
  shieldlink conformance --device radar --link tcp://10.0.0.7:4001 --rule ICD-CMN-003 --json

Exit codes: 0 every rule judged and none failed (skips allowed unless --strict), 1 a rule
failed, 2 usage error, 3 the link cannot be opened or — no rule failed — a rule was
INCONCLUSIVE (the kit's own timing failed: rerun on a quieter host), 130 interrupted (SIGINT;
the launcher was sent SAFE).

${TTM_HELP}`;

/** What the command needs from outside (tests pass fakes). */
export interface ConformanceCommandDeps {
  readonly clock?: () => Clock;
  readonly createTransport?: (url: string, clock: Clock) => Transport;
  /** Register the interrupt handler; returns a function that removes it. Default: SIGINT. */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

interface ParsedArgs {
  readonly device: DeviceKind;
  readonly link: string;
  readonly rules: string[];
  readonly json: boolean;
  readonly timeoutScale: number;
  readonly allowFire: boolean;
  readonly aimPoint: AimPoint;
  readonly timingSlackUs: number;
  readonly strict: boolean;
}

function parse(args: string[]): ParsedArgs {
  let values;
  try {
    values = parseArgs({
      args,
      allowPositionals: false,
      options: {
        device: { type: 'string' },
        link: { type: 'string' },
        rule: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        'timeout-scale': { type: 'string' },
        'allow-fire': { type: 'boolean' },
        aim: { type: 'string' },
        'timing-slack-ms': { type: 'string' },
        strict: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const device = values.device;
  if (device !== 'radar' && device !== 'launcher') {
    throw new UsageError(
      device === undefined
        ? 'missing --device radar|launcher|ttm'
        : `--device ${device}: expected radar, launcher or ttm`,
    );
  }
  if (values.link === undefined) throw new UsageError('missing --link URL (e.g. serial:/dev/pts/7)');
  const scaleText = values['timeout-scale'];
  const timeoutScale = scaleText === undefined ? 1 : Number(scaleText);
  if (!(timeoutScale > 0) || !Number.isFinite(timeoutScale)) {
    throw new UsageError(`--timeout-scale ${scaleText}: expected a positive number`);
  }
  let aimPoint = DEFAULT_AIM_POINT;
  if (values.aim !== undefined) {
    const parts = values.aim.split(',').map((p) => Number(p.trim()));
    if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p))) {
      throw new UsageError(`--aim ${values.aim}: expected east,north,up in metres, e.g. 0,0,20000`);
    }
    aimPoint = { eastM: parts[0]!, northM: parts[1]!, upM: parts[2]! };
  }
  const slackText = values['timing-slack-ms'];
  const slackMs = slackText === undefined ? 0 : Number(slackText);
  if (!(slackMs >= 0) || !Number.isFinite(slackMs)) {
    throw new UsageError(`--timing-slack-ms ${slackText}: expected a number of milliseconds >= 0`);
  }
  return {
    device,
    link: values.link,
    rules: values.rule ?? [],
    json: values.json === true,
    timeoutScale,
    allowFire: values['allow-fire'] === true,
    aimPoint,
    timingSlackUs: slackMs * 1000,
    strict: values.strict === true,
  };
}

function sigint(handler: () => void): () => void {
  process.once('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

/** `shieldlink conformance`. */
export function createConformanceCommand(deps: ConformanceCommandDeps = {}): Command {
  return {
    path: ['conformance'],
    summary: 'judge a radar or launcher against every ICD rule, by rule id',
    help: HELP,
    async run(args, io) {
      const deviceAt = args.findIndex((arg) => arg === '--device' || arg.startsWith('--device='));
      const device =
        deviceAt < 0 ? undefined : args[deviceAt]!.includes('=') ? args[deviceAt]!.split('=')[1] : args[deviceAt + 1];
      if (device === 'ttm') {
        const clock = deps.clock?.() ?? new RealClock();
        return runTtmConformance(args, io, clock, (url) =>
          (deps.createTransport ?? ((u, c) => createTransport(u, { clock: c })))(url, clock),
        );
      }
      const options = parse(args);
      const clock = deps.clock?.() ?? new RealClock();
      let transport: Transport;
      try {
        transport = (deps.createTransport ?? ((url, c) => createTransport(url, { clock: c })))(options.link, clock);
      } catch (error) {
        if (error instanceof TransportError) throw new UsageError(error.message);
        throw error;
      }
      const interrupt = new AbortController();
      const removeHandler = (deps.onInterrupt ?? sigint)(() => interrupt.abort());
      let report: ConformanceReport;
      try {
        report = await runConformance({
          device: options.device,
          transport,
          clock,
          rules: options.rules,
          allowFire: options.allowFire,
          timeoutScale: options.timeoutScale,
          aimPoint: options.aimPoint,
          timingSlackUs: options.timingSlackUs,
          strict: options.strict,
          signal: interrupt.signal,
          onResult: (result) => writeRuleResult(io, options.json, result),
        });
      } catch (error) {
        if (error instanceof ConformanceError) {
          if (error.code === 'link-open-failed') {
            io.stderr.write(`shieldlink conformance: ${error.message}\n`);
            return EXIT_RUNTIME;
          }
          throw new UsageError(error.message);
        }
        throw error;
      } finally {
        removeHandler();
        await transport.close().catch(() => undefined);
      }
      writeConformanceSummary(io, options.json, report);
      return conformanceExitCode(report);
    },
  };
}

export const conformanceCommand: Command = createConformanceCommand();
