import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { LinkSpecError, type LinkSpec, parseLinkOption } from '../../../firmware-sim/link/link-spec.js';
import { openDeviceLinks } from '../../../firmware-sim/link/open-device-links.js';
import { createSimulator } from '../../../firmware-sim/simulator.js';
import { JsonlTruthSink, NULL_TRUTH_SINK, type TruthSink } from '../../../firmware-sim/truth/truth-sink.js';
import { ConfigError } from '../../config/config-error.js';
import { loadScenario } from '../../config/load-scenario.js';
import { RealClock } from '../../time/real-clock.js';
import { writeConfigIssues } from '../bench-config-file.js';
import { type Command, type CommandIo, EXIT_OK, EXIT_USAGE, UsageError } from '../command.js';
import { DEFAULT_SITE, type GeodeticPosition } from '../../geo/index.js';
import { type SimAsterixOption, openSimAsterixRadars, parseAsterixOption, parseSite } from './sim-asterix.js';

const HELP = `Usage: shieldlink sim --scenario FILE [--link DEVICE=SPEC]... [--asterix RADAR=URL]... [--truth FILE]
                      [--no-pace] [--json]

Run the firmware simulator of every radar and launcher in a scenario, in real time, each
device on its own link, speaking docs/protocol.md exactly as the real controllers do
(heartbeats from power-on, faults from the scenario, line-rate pacing at each device's baud).

By default each device gets its own PTY pair (socat must be installed): the simulator holds one
end through the real serialport binding and the host opens the other. When every link is
ready, one JSON line per device is printed on stdout, giving what the host opens:
  {"device":"radar-1","link":"serial:/dev/pts/7","powerOnHrtimeNs":"123456789"}
  {"device":"launcher-1","link":"tcp://127.0.0.1:4001","powerOnHrtimeNs":"123456789"}
Then it runs until the scenario's durationS has passed or it is interrupted (SIGINT, SIGTERM),
and stops cleanly: links closed, truth log flushed. A broken stdout or stderr pipe (the reader
went away) stops it the same way; the truth log is still complete.

Options:
  --scenario FILE        scenario YAML (hil-configs/scenarios/*.yaml), required
  --link DEVICE=SPEC     how DEVICE is reached; SPEC is one of
                           pty               a new PTY pair (default)
                           tcp:PORT          listen on 127.0.0.1:PORT (0 = any free port)
                           tcp:HOST:PORT     listen on HOST:PORT
                           serial:/dev/...   open an existing serial port (a null-modem cable)
                         repeat for several devices
  --asterix RADAR=udp://HOST:PORT?site=LAT,LON,H[&sac=N&sic=N]
                         simulate scenario radar RADAR as an ASTERIX radar: each scan goes as one
                         UDP datagram (CAT034 north marker, CAT048 target reports) to HOST:PORT
                         (0.0.0.0 means 127.0.0.1; a multicast group takes ?iface=ADDRESS), sent in
                         real time with I140 from this machine's UTC clock; site is the radar's
                         WGS-84 position, sac/sic its source (default 0). It gets no serial link;
                         its ready line gives the URL. Repeat for several radars
  --bench-site LAT,LON,H the WGS-84 origin of the scenario's east/north/up frame (default 0,0,0),
                         for placing --asterix radars' plots
  --truth FILE           write the truth log (JSON Lines) to FILE; never read by the host
  --seed N               override the scenario's seed
  --no-pace              write each frame at once instead of pacing bytes at the device's baud.
                         Real-time pacing runs on platform timers that fire a millisecond or more
                         late, a delay only the device-to-host direction sees, which biases the
                         host's time sync by half of it; for time-critical runs over PTYs use
                         --no-pace and let the host assume no pacing (shieldlink run does)
  --stop-on-stdin-end    stop cleanly when stdin reaches its end: a parent process that starts
                         the simulator with a pipe on stdin (shieldlink run does) takes it down
                         with it, even when killed with SIGKILL
  --json                 end with one JSON line of truth totals:
                           {"event":"end","simulatedS",...,"hostiles","hostilesKilled","leakers",
                            "friendlyKills","launches","duplicateExecutions","firesWhileLinkDown"}

Examples:
  shieldlink sim --scenario hil-configs/scenarios/single-ballistic.yaml
  shieldlink sim --scenario hil-configs/scenarios/raid-50.yaml --link radar-1=tcp:4001 \\
      --link launcher-1=tcp:4002 --truth runs/raid-50.truth.jsonl --json

Exit codes: 0 ran to the end or was stopped by a signal, 2 bad option or scenario,
3 a link could not be opened (socat missing, port in use).`;

interface SimArgs {
  readonly scenario: string;
  readonly links: ReadonlyMap<string, LinkSpec>;
  readonly asterix: readonly SimAsterixOption[];
  readonly benchSite: GeodeticPosition;
  readonly truth: string | undefined;
  readonly seed: number | undefined;
  readonly json: boolean;
  /** Pace device output at the device's baud (default true; --no-pace). */
  readonly paced: boolean;
  /** Stop when stdin ends (the parent that holds its other end went away). */
  readonly stopOnStdinEnd: boolean;
}

function parseSimArgs(args: string[]): SimArgs {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        scenario: { type: 'string' },
        link: { type: 'string', multiple: true },
        asterix: { type: 'string', multiple: true },
        'bench-site': { type: 'string' },
        truth: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        'no-pace': { type: 'boolean' },
        'stop-on-stdin-end': { type: 'boolean' },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.scenario === undefined) throw new UsageError('--scenario FILE is required (see --help)');
  const links = new Map<string, LinkSpec>();
  for (const option of values.link ?? []) {
    try {
      const { deviceId, spec } = parseLinkOption(option);
      if (links.has(deviceId)) throw new UsageError(`--link ${deviceId} given twice`);
      links.set(deviceId, spec);
    } catch (error) {
      if (error instanceof LinkSpecError) throw new UsageError(error.message);
      throw error;
    }
  }
  const asterix = (values.asterix ?? []).map(parseAsterixOption);
  for (const option of asterix) {
    if (links.has(option.deviceId) || asterix.filter((a) => a.deviceId === option.deviceId).length > 1)
      throw new UsageError(`--asterix ${option.deviceId}: given twice or also as --link`);
  }
  const benchSite = values['bench-site'] === undefined ? DEFAULT_SITE : parseSite(values['bench-site'], '--bench-site');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) {
    throw new UsageError(`--seed ${values.seed}: expected an integer >= 0`);
  }
  return {
    scenario: values.scenario,
    links,
    asterix,
    benchSite,
    truth: values.truth,
    seed,
    json: values.json === true,
    paced: values['no-pace'] !== true,
    stopOnStdinEnd: values['stop-on-stdin-end'] === true,
  };
}

export const simCommand: Command = {
  path: ['sim'],
  summary: 'run the radar and launcher firmware simulator on PTYs or TCP, in real time',
  help: HELP,
  async run(args, io) {
    const options = parseSimArgs(args);
    // A reader that went away (EPIPE) must not crash the simulator before its truth is flushed:
    // writes to a broken pipe are dropped, and the simulator stops as on a signal.
    const brokenPipe = new Promise<string>((resolve) => {
      const onError = (error: NodeJS.ErrnoException): void => resolve(`broken ${error.code ?? 'output'} pipe`);
      io.stdout.on('error', onError);
      io.stderr.on('error', onError);
      if (options.stopOnStdinEnd) {
        io.stdin.on('end', () => resolve('stdin ended'));
        io.stdin.on('error', () => resolve('stdin ended'));
        io.stdin.resume();
      }
    });
    let scenario;
    try {
      scenario = await loadScenario(options.scenario);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeConfigIssues(error, io.stderr);
      return EXIT_USAGE;
    }
    if (options.seed !== undefined) scenario = { ...scenario, seed: options.seed };
    const allDevices = [...scenario.radars, ...scenario.launchers];
    for (const id of options.links.keys()) {
      if (!allDevices.some((d) => d.id === id)) {
        throw new UsageError(
          `--link ${id}: no such device in the scenario (${allDevices.map((d) => d.id).join(', ')})`,
        );
      }
    }
    for (const { deviceId } of options.asterix) {
      if (!scenario.radars.some((r) => r.id === deviceId))
        throw new UsageError(
          `--asterix ${deviceId}: no such radar in the scenario (${scenario.radars.map((r) => r.id).join(', ')})`,
        );
    }
    const asterixIds = new Set(options.asterix.map((a) => a.deviceId));
    const serialScenario = { ...scenario, radars: scenario.radars.filter((r) => !asterixIds.has(r.id)) };
    const devices = [...serialScenario.radars, ...serialScenario.launchers];
    const clock = new RealClock();
    const opened = await openDeviceLinks(
      devices.map((d) => ({ id: d.id, baud: d.baud, spec: options.links.get(d.id) ?? { kind: 'pty' } })),
      clock,
    );
    const truth: TruthSink =
      options.truth === undefined ? NULL_TRUTH_SINK : new JsonlTruthSink(createWriteStream(options.truth));
    const powerOnUs = clock.nowUs();
    const sim = createSimulator({
      scenario: serialScenario,
      clock,
      powerOnUs,
      ...(options.paced ? {} : { devices: Object.fromEntries(devices.map((d) => [d.id, { paced: false }])) }),
      links: Object.fromEntries(opened.links.map((l) => [l.deviceId, l.link])),
      truthSink: truth,
      scenarioName: scenario.name ?? options.scenario,
      onLog: (line) => io.stderr.write(`sim: ${line}\n`),
    });
    const asterixRadars = await openSimAsterixRadars(options.asterix, scenario, sim.world, clock, options.benchSite);
    void sim.ended.then(() => asterixRadars.stop());
    await sim.start();
    asterixRadars.start();
    // powerOnHrtimeNs: the system-wide monotonic instant of truth tUs 0, so a host in another
    // process can place the truth log on its own clock.
    const powerOnHrtimeNs = String(clock.epochHrtimeNs + BigInt(Math.round(powerOnUs * 1000)));
    for (const link of opened.links)
      io.stdout.write(JSON.stringify({ device: link.deviceId, link: link.hostUrl, powerOnHrtimeNs }) + '\n');
    for (const option of options.asterix)
      io.stdout.write(JSON.stringify({ device: option.deviceId, link: option.link, powerOnHrtimeNs }) + '\n');
    const signalled = await runUntilEndOrSignal(sim.ended, io, brokenPipe);
    // Stop reading stdin: an open pipe would keep this process alive after the run.
    if (options.stopOnStdinEnd) {
      io.stdin.pause();
      (io.stdin as { destroy?: () => void }).destroy?.();
    }
    asterixRadars.stop();
    await sim.stop();
    await opened.close();
    const totals = sim.world.totals;
    const simulatedS = Math.min(scenario.durationS, sim.world.scenarioUs() / 1e6);
    if (options.json)
      io.stdout.write(JSON.stringify({ event: 'end', simulatedS, signal: signalled ?? null, ...totals }) + '\n');
    else
      io.stderr.write(
        `sim: ${signalled ? `stopped by ${signalled}` : 'scenario ended'} after ${simulatedS.toFixed(1)} s: ` +
          `${totals.launches} launches, ${totals.hostilesKilled}/${totals.hostiles} hostiles killed, ` +
          `${totals.leakers} leakers, ${totals.friendlyKills} friendly kills\n`,
      );
    return EXIT_OK;
  },
};

/** Resolve with the signal's name when SIGINT/SIGTERM arrives first, undefined when the run ended. */
function runUntilEndOrSignal(
  ended: Promise<void>,
  io: CommandIo,
  otherStop: Promise<string>,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    void otherStop.then((reason) => {
      cleanup();
      resolve(reason);
    });
    const onSignal = (signal: NodeJS.Signals): void => {
      cleanup();
      io.stderr.write(`sim: ${signal}, stopping\n`);
      resolve(signal);
    };
    const cleanup = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void ended.then(() => {
      cleanup();
      resolve(undefined);
    });
  });
}
