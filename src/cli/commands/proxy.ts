import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { FaultProxy } from '../../proxy/fault-proxy.js';
import { type FaultSpec, parseFaultSpec } from '../../proxy/fault-spec.js';
import { FaultSpecError } from '../../proxy/fault-spec-error.js';
import type { ProxyFaultRecord } from '../../proxy/proxy-fault-record.js';
import { RealClock } from '../../time/real-clock.js';
import { type PtyPair, openPtyPair } from '../../transport/pty-pair.js';
import { SerialTransport } from '../../transport/serial-transport.js';
import type { Transport } from '../../transport/transport.js';
import { TransportError } from '../../transport/transport.js';
import { createTransport, parseTransportUrl } from '../../transport/transport-url.js';
import { type Command, type CommandIo, EXIT_OK, EXIT_RUNTIME, UsageError } from '../command.js';
import { captureLinks } from '../../capture/link-capture.js';
import { anchoredWallClock } from '../../time/anchored-wall-clock.js';

const HELP = `Usage: shieldlink proxy --device URL [--host pty|URL] [--faults SPEC] [--seed N] [--log FILE]
                        [--capture FILE.pcapng]

A serial cable with seeded faults in it: forwards bytes both ways between a controller (real or
simulated) and the host, injecting faults per direction, and logs every injected fault.

When the host side is ready, one JSON line on stdout says what the host opens:
  {"hostLink":"serial:/dev/pts/9"}
It runs until interrupted (SIGINT, SIGTERM), then prints the counters as one JSON line:
  {"event":"end","to-host":{...},"to-device":{...},...}

Options:
  --device URL     the controller's link: serial:/dev/ttyUSB0?baud=921600, tcp://host:port,
                   tcp-listen://127.0.0.1:4001 (required)
  --host pty|URL   the host's side: pty (default) = a new PTY pair (socat), the host opens the
                   printed path; or a transport URL (tcp-listen://127.0.0.1:5001, serial:...)
  --faults SPEC    comma-separated, e.g. drop=0.01,flip=0.001,dup=0.01,delay=2ms±1ms,garbage=0.001
                     drop=P         lose each byte with probability P
                     flip=P         flip one random bit of each byte with probability P
                     dup=P          send each whole frame (up to its 0x00) twice with probability P
                     garbage=P      after each byte, insert 1..garbage-max random bytes with probability P
                     garbage-max=N  largest garbage burst (default 16)
                     delay=D[±J]    hold each chunk D (us, ms, s), jitter ±J; order is kept
                   a key may name one direction: drop:to-host=0.05, delay:to-device=5ms
                   (to-host = controller → host). Default: no faults (a transparent cable).
  --seed N         seed of the fault streams (default 1); same seed, same faults
  --log FILE       write every injected fault as a JSON line:
                     {"tUs":1234,"direction":"to-host","fault":"flip","offset":77,"value":3}
  --capture FILE   also write every frame each side sent (before the faults) to a pcapng
                   capture, both ways, bad frames kept (see 'shieldlink wireshark-dissector')

Examples:
  shieldlink proxy --device serial:/dev/serial/by-id/usb-FTDI_launcher-if00 --host pty \\
      --faults drop=0.01,flip=0.001,dup=0.01,delay=2ms±1ms,garbage=0.001 --seed 7 --log faults.jsonl
  shieldlink proxy --device tcp://127.0.0.1:4002 --host tcp-listen://127.0.0.1:5002 --faults drop:to-host=0.02

Exit codes: 0 stopped by a signal, 2 bad option or fault spec (nothing was started),
3 a side could not be set up (socat missing, port in use).`;

interface ProxyArgs {
  readonly device: string;
  readonly host: string;
  readonly faults: FaultSpec;
  readonly faultsText: string;
  readonly seed: number;
  readonly log: string | undefined;
  readonly capture: string | undefined;
}

function parseProxyArgs(args: string[]): ProxyArgs {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        device: { type: 'string' },
        host: { type: 'string' },
        faults: { type: 'string' },
        seed: { type: 'string' },
        log: { type: 'string' },
        capture: { type: 'string' },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.device === undefined) throw new UsageError('--device URL is required (see --help)');
  const host = values.host ?? 'pty';
  try {
    parseTransportUrl(values.device);
    if (host !== 'pty') parseTransportUrl(host);
  } catch (error) {
    if (error instanceof TransportError) throw new UsageError(error.message);
    throw error;
  }
  if (values.device.startsWith('memory:') || host.startsWith('memory:')) {
    throw new UsageError('memory: links exist only inside one process; use serial:, tcp:// or tcp-listen://');
  }
  let faults: FaultSpec;
  try {
    faults = parseFaultSpec(values.faults ?? '');
  } catch (error) {
    if (error instanceof FaultSpecError) throw new UsageError(`--faults: ${error.message}`);
    throw error;
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!(Number.isSafeInteger(seed) && seed >= 0))
    throw new UsageError(`--seed ${values.seed}: expected an integer >= 0`);
  return {
    device: values.device,
    host,
    faults,
    faultsText: values.faults ?? '',
    seed,
    log: values.log,
    capture: values.capture,
  };
}

export const proxyCommand: Command = {
  path: ['proxy'],
  summary: 'forward a controller link to the host with seeded, logged faults (drop, flip, dup, garbage, delay)',
  help: HELP,
  async run(args, io) {
    const options = parseProxyArgs(args);
    const clock = new RealClock();
    let pty: PtyPair | undefined;
    let host: Transport;
    let hostLink: string;
    if (options.host === 'pty') {
      try {
        pty = await openPtyPair({ clock });
      } catch (error) {
        io.stderr.write(`proxy: ${error instanceof Error ? error.message : String(error)}\n`);
        return EXIT_RUNTIME;
      }
      host = new SerialTransport({ path: pty.paths[0], lock: false });
      hostLink = `serial:${pty.paths[1]}`;
    } else {
      host = createTransport(options.host, { clock });
      hostLink = options.host.replace(/^tcp-listen:/, 'tcp:');
    }
    const device = createTransport(options.device, { clock });
    const logStream = options.log === undefined ? undefined : createWriteStream(options.log);
    const proxy = new FaultProxy({
      device,
      host,
      clock,
      faults: options.faults,
      seed: options.seed,
      ...(logStream === undefined
        ? {}
        : { log: (record: ProxyFaultRecord) => logStream.write(JSON.stringify(record) + '\n') }),
      onNotice: (line) => io.stderr.write(`proxy: ${line}\n`),
    });
    const wallClock = anchoredWallClock(clock);
    const epochUs = Math.round(wallClock() * 1000 - clock.nowUs());
    const capture =
      options.capture === undefined
        ? undefined
        : captureLinks(
            options.capture,
            [{ id: options.device, fromDevice: device, toDevice: host }],
            () => epochUs + clock.nowUs(),
          );
    await proxy.start();
    io.stdout.write(JSON.stringify({ hostLink, faults: options.faultsText, seed: options.seed }) + '\n');
    const signal = await untilSignal(io);
    await proxy.stop();
    await pty?.close();
    if (logStream !== undefined) await new Promise<void>((resolve) => logStream.end(resolve));
    await capture?.close();
    io.stdout.write(JSON.stringify({ event: 'end', signal, ...proxy.counters() }) + '\n');
    return EXIT_OK;
  },
};

function untilSignal(io: CommandIo): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      io.stderr.write(`proxy: ${signal}, stopping\n`);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
