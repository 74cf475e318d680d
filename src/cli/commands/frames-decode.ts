import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { type DecodeOptions, type Message, decodeWireFrame } from '../../protocol/index.js';
import { readFile } from 'node:fs/promises';
import { decodePacket } from '../../capture/decode-capture.js';
import { PcapngError, readPcapng } from '../../capture/pcapng-reader.js';
import { type Command, type CommandIo, EXIT_OK, EXIT_USAGE, UsageError } from '../command.js';
import { boundedLines } from './bounded-lines.js';

const HELP = `Usage: shieldlink frames decode [HEX...] [--receiver host|device]
       shieldlink frames decode --pcapng FILE

Decode captured frames. Each HEX argument, or else each line of standard input, is one frame
as hex: the bytes on the wire, COBS-encoded, with or without the trailing 00. Whitespace
between bytes is ignored; blank lines and lines of only 00 (idle fill between frames,
ICD-FRM-002) are skipped. Prints one JSON line per frame:
  {"ok":true,"message":{"type":"HEARTBEAT","seq":7,"flags":0,...}}
  {"ok":false,"error":"crc","detail":"crc 0x1234 != computed 0xabcd","input":"0401..."}
error is one of cobs, crc, version, unknown-type, length, field (docs/protocol.md), or hex
for a line that is not an even number of hex digits. A line longer than 65536 characters is
reported as length without being decoded; input echoes at most 1024 characters of a bad line.

With --pcapng, reads a shieldlink capture (run, capture, proxy --capture) instead and prints
one JSON line per packet with its link, direction and time (µs since the Unix epoch):
  {"link":"radar-1","direction":"device-to-host","timestampUs":1767225600123456,"partial":false,"ok":true,"message":{...}}
A pcapng of another link type is refused (exit 2).

Options:
  --receiver host     accept only messages a device sends (others: unknown-type)
  --receiver device   accept only messages the host sends
  --pcapng FILE       decode the packets of a pcapng capture (each checked for its own direction)

Examples:
  shieldlink frames decode 040103670105508002050101010391060103be3800
  xxd -p -c 1 capture.bin | awk '{ printf "%s", $0 } $0 == "00" { print "" }' | shieldlink frames decode
  shieldlink frames decode < frames.hex | jq -c 'select(.ok == false)'
  shieldlink frames decode --pcapng runs/raid-50.pcapng | jq -c 'select(.ok == false)'

Exit codes: 0 every line was read (even if frames were rejected), 2 bad option or a file that
is not a shieldlink capture, 3 the input could not be read.`;

/** Longest input line decoded, characters (the longest frame is a few hundred hex digits). */
export const MAX_LINE_CHARS = 64 * 1024;
/** At most this much of a bad line is echoed back in `input` (the longest frame is ~600 hex digits). */
export const MAX_ECHO_CHARS = 1024;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const IDLE_FILL = /^(?:00)+$/;

/** What `frames decode` prints for one input line. */
export type DecodedLine = { ok: true; message: Message } | { ok: false; error: string; detail: string; input: string };

/** Decode one line of hex; undefined for a line with no frame (blank, idle fill). Never throws. */
export function decodeHexLine(line: string, options: DecodeOptions = {}): DecodedLine | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  const input = echo(trimmed, trimmed.length);
  if (trimmed.length > MAX_LINE_CHARS) {
    return { ok: false, error: 'length', detail: `line of ${trimmed.length} characters: not a frame`, input };
  }
  const compact = trimmed.replace(/\s+/g, '');
  if (IDLE_FILL.test(compact)) return undefined;
  if (!HEX.test(compact)) {
    const bad = compact.search(/[^0-9a-fA-F]/);
    const detail = bad >= 0 ? `not hex: '${compact[bad]}' at character ${bad + 1}` : 'odd number of hex digits';
    return { ok: false, error: 'hex', detail, input };
  }
  const result = decodeWireFrame(Uint8Array.from(Buffer.from(compact, 'hex')), options);
  return result.ok
    ? { ok: true, message: result.message }
    : { ok: false, error: result.error, detail: result.detail, input };
}

export const framesDecodeCommand: Command = {
  path: ['frames', 'decode'],
  summary: 'decode hex frames (arguments or stdin lines) into JSON lines',
  help: HELP,
  async run(args, io) {
    const options = parseOptions(args);
    if (options.pcapng !== undefined) return decodePcapngFile(options.pcapng, io);
    const emit = async (line: string): Promise<void> => {
      const decoded = decodeHexLine(line, options.decode);
      // Wait for a slow reader (a pager, a pipe) rather than buffer a whole capture.
      if (decoded !== undefined && !io.stdout.write(JSON.stringify(decoded) + '\n')) await once(io.stdout, 'drain');
    };
    if (options.frames.length > 0) {
      for (const frame of options.frames) await emit(frame);
      return EXIT_OK;
    }
    // A read error rejects this loop; main() reports it and exits 3.
    // Lines are read bounded: a huge line is reported (its length, its start), never held or echoed whole.
    for await (const line of boundedLines(io.stdin, MAX_LINE_CHARS + 1)) {
      if (!line.truncated) await emit(line.text);
      else {
        const decoded: DecodedLine = {
          ok: false,
          error: 'length',
          detail: `line of ${line.length} characters: not a frame`,
          input: echo(line.text, line.length),
        };
        if (!io.stdout.write(JSON.stringify(decoded) + '\n')) await once(io.stdout, 'drain');
      }
    }
    return EXIT_OK;
  },
};

/** A line as echoed in an error: whole when short, else its start and its length. */
function echo(text: string, length: number): string {
  return length <= MAX_ECHO_CHARS ? text : `${text.slice(0, MAX_ECHO_CHARS)}… (${length} characters)`;
}

/** `--pcapng FILE`: one JSON line per packet; exit 2 for a file that is not a shieldlink capture. */
async function decodePcapngFile(file: string, io: CommandIo): Promise<number> {
  let packets;
  try {
    packets = readPcapng(await readFile(file), file);
  } catch (error) {
    if (error instanceof PcapngError) {
      io.stderr.write(`shieldlink frames decode: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  for (const packet of packets) {
    if (!io.stdout.write(JSON.stringify(decodePacket(packet)) + '\n')) await once(io.stdout, 'drain');
  }
  return EXIT_OK;
}

function parseOptions(args: string[]): { frames: string[]; decode: DecodeOptions; pcapng: string | undefined } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { receiver: { type: 'string' }, pcapng: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const receiver = parsed.values.receiver;
  if (receiver !== undefined && receiver !== 'host' && receiver !== 'device') {
    throw new UsageError(`--receiver must be host or device, not '${receiver}'`);
  }
  const decode: DecodeOptions =
    receiver === undefined ? {} : { receiving: receiver === 'host' ? 'device-to-host' : 'host-to-device' };
  if (parsed.values.pcapng !== undefined && parsed.positionals.length > 0) {
    throw new UsageError('--pcapng FILE takes no HEX arguments');
  }
  return { frames: parsed.positionals, decode, pcapng: parsed.values.pcapng };
}
