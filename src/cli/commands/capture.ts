import { parseArgs } from 'node:util';
import type { CaptureDirection } from '../../capture/capture-record.js';
import { type CapturedLink, captureLinks } from '../../capture/link-capture.js';
import { FaultProxy } from '../../proxy/fault-proxy.js';
import { parseFaultSpec } from '../../proxy/fault-spec.js';
import { RealClock } from '../../time/real-clock.js';
import { type PtyPair, openPtyPair } from '../../transport/pty-pair.js';
import { SerialTransport } from '../../transport/serial-transport.js';
import type { Transport } from '../../transport/transport.js';
import { TransportError } from '../../transport/transport.js';
import { createTransport, parseTransportUrl } from '../../transport/transport-url.js';
import { type Command, type CommandIo, EXIT_OK, EXIT_RUNTIME, UsageError } from '../command.js';
import { anchoredWallClock } from '../../time/anchored-wall-clock.js';

const HELP = `Usage: shieldlink capture --link URL --out FILE.pcapng [--host pty|URL] [--name ID]
                          [--direction D] [--duration S]

Capture the frames of a live serial link into a pcapng file, one packet per frame, with the
link's name and the frame's direction in each packet and timestamps from the host's clock;
frames the host's decoder rejects are kept, marked with the reason as the packet comment.
Open it in Wireshark with the dissector from 'shieldlink wireshark-dissector'.

Two ways to tap a link:
  --host pty|URL    through the proxy: the capture sits between the controller (--link) and the
                    host like a cable, forwards every byte unchanged and captures both ways;
                    'pty' makes a PTY pair and prints the path the host opens:
                      {"hostLink":"serial:/dev/pts/9","out":"link.pcapng"}
  (no --host)       listen on --link alone (e.g. the second port of a hardware tap, or a PTY
                    the simulator writes): everything received is captured as --direction

Options:
  --link URL        the controller's link: serial:/dev/ttyUSB0?baud=921600, tcp://host:port,
                    tcp-listen://127.0.0.1:4001 (required)
  --out FILE        the pcapng file to write (required)
  --name ID         link name in the packets (default: the link URL)
  --direction D     direction of the bytes received without --host: device-to-host (default),
                    host-to-device or unknown
  --duration S      stop after S seconds (default: until SIGINT or SIGTERM)

Examples:
  shieldlink capture --link serial:/dev/serial/by-id/usb-FTDI_launcher-if00?baud=921600 \\
      --host pty --name launcher-1 --out launcher-1.pcapng
  shieldlink capture --link tcp://127.0.0.1:4001 --out radar.pcapng --duration 60

Prints the counters as one JSON line at the end: {"event":"end","frames":N,"badFrames":N,...}.

Exit codes: 0 stopped by a signal or --duration, 2 bad option (nothing was started),
3 a link could not be opened.`;

interface CaptureArgs {
  readonly link: string;
  readonly out: string;
  readonly host: string | undefined;
  readonly name: string;
  readonly direction: CaptureDirection;
  readonly durationS: number | undefined;
}

function parseCaptureArgs(args: string[]): CaptureArgs {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        link: { type: 'string' },
        out: { type: 'string' },
        host: { type: 'string' },
        name: { type: 'string' },
        direction: { type: 'string' },
        duration: { type: 'string' },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.link === undefined) throw new UsageError('--link URL is required (see --help)');
  if (values.out === undefined) throw new UsageError('--out FILE.pcapng is required (see --help)');
  try {
    parseTransportUrl(values.link);
    if (values.host !== undefined && values.host !== 'pty') parseTransportUrl(values.host);
  } catch (error) {
    if (error instanceof TransportError) throw new UsageError(error.message);
    throw error;
  }
  if (values.link.startsWith('memory:')) throw new UsageError('memory: links exist only inside one process');
  const direction = values.direction ?? 'device-to-host';
  if (!['host-to-device', 'device-to-host', 'unknown'].includes(direction)) {
    throw new UsageError(`--direction must be host-to-device, device-to-host or unknown, not '${direction}'`);
  }
  if (values.direction !== undefined && values.host !== undefined) {
    throw new UsageError('--direction applies without --host only (through the proxy both ways are known)');
  }
  const durationS = values.duration === undefined ? undefined : Number(values.duration);
  if (durationS !== undefined && !(Number.isFinite(durationS) && durationS > 0)) {
    throw new UsageError(`--duration: expected a positive number of seconds, got '${values.duration}'`);
  }
  return {
    link: values.link,
    out: values.out,
    host: values.host,
    name: values.name ?? values.link,
    direction: direction as CaptureDirection,
    durationS,
  };
}

export const captureCommand: Command = {
  path: ['capture'],
  summary: 'capture a live serial link into pcapng (through the proxy, or listening), bad frames kept',
  help: HELP,
  async run(args, io) {
    const options = parseCaptureArgs(args);
    const clock = new RealClock();
    const wallClock = anchoredWallClock(clock);
    const epochUs = Math.round(wallClock() * 1000 - clock.nowUs());
    const stamp = (): number => epochUs + clock.nowUs();
    const device = createTransport(options.link, { clock });
    let pty: PtyPair | undefined;
    let proxy: FaultProxy | undefined;
    let links: CapturedLink[];
    let hostLink: string | undefined;
    try {
      if (options.host === undefined) {
        links = [{ id: options.name, fromDevice: device, fromDeviceDirection: options.direction }];
      } else {
        let host: Transport;
        if (options.host === 'pty') {
          pty = await openPtyPair({ clock });
          host = new SerialTransport({ path: pty.paths[0], lock: false });
          hostLink = `serial:${pty.paths[1]}`;
        } else {
          host = createTransport(options.host, { clock });
          hostLink = options.host.replace(/^tcp-listen:/, 'tcp:');
        }
        proxy = new FaultProxy({
          device,
          host,
          clock,
          faults: parseFaultSpec(''),
          seed: 1,
          onNotice: (line) => io.stderr.write(`capture: ${line}\n`),
        });
        links = [{ id: options.name, fromDevice: device, toDevice: host }];
        await proxy.start();
      }
    } catch (error) {
      io.stderr.write(`capture: ${error instanceof Error ? error.message : String(error)}\n`);
      await pty?.close();
      return EXIT_RUNTIME;
    }
    const capture = captureLinks(options.out, links, stamp);
    if (proxy === undefined) {
      try {
        await device.open();
      } catch (error) {
        io.stderr.write(`capture: ${error instanceof Error ? error.message : String(error)}\n`);
        await capture.close();
        return EXIT_RUNTIME;
      }
    }
    io.stdout.write(JSON.stringify({ ...(hostLink === undefined ? {} : { hostLink }), out: options.out }) + '\n');
    const reason = await untilStop(io, clock, options.durationS);
    if (proxy !== undefined) await proxy.stop();
    else await device.close();
    await pty?.close();
    const counters = await capture.close();
    io.stdout.write(JSON.stringify({ event: 'end', reason, ...counters }) + '\n');
    return EXIT_OK;
  },
};

function untilStop(io: CommandIo, clock: RealClock, durationS: number | undefined): Promise<string> {
  return new Promise((resolve) => {
    const timer = durationS === undefined ? undefined : clock.setTimer(durationS * 1e6, () => done('duration'));
    const onSignal = (signal: NodeJS.Signals): void => {
      io.stderr.write(`capture: ${signal}, stopping\n`);
      done(signal);
    };
    const done = (reason: string): void => {
      timer?.cancel();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(reason);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
