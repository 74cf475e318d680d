import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { EncodeError, type Message, encodeMessage } from '../../protocol/index.js';
import { writeFile } from 'node:fs/promises';
import type { CaptureDirection } from '../../capture/capture-record.js';
import { type TimedFrame, pcapngOf } from '../../capture/pcapng-writer.js';
import { VIRTUAL_EPOCH_US } from '../../export/mcap-export.js';
import { type Command, EXIT_OK, EXIT_USAGE, UsageError } from '../command.js';

const HELP = `Usage: shieldlink frames encode [JSON...] [--pcapng FILE [--link NAME] [--direction D]]

Encode messages into frames. Each JSON argument, or else each line of standard input, is one
message: {"type":"ARM","seq":12,"flags":1,"commandId":1041} with every field of its type
(docs/protocol.md; flags: 1 = ack requested, 2 = retransmission). A line printed by
'frames decode' ({"ok":true,"message":{...}}) is accepted too. Prints one line of hex per
message: the bytes on the wire, trailing 00 included. Blank lines are skipped.

A line that is not JSON or not a valid message is reported on standard error as
  shieldlink frames encode: line 3: ARM.commandId: -1 is not an integer in [0, 4294967295]
and the other lines are still encoded.

With --pcapng FILE, writes the frames as a pcapng capture instead (one packet each, link type
147 as 'wireshark-dissector' reads): --link names the link (default 'frames'), --direction is
host-to-device (default), device-to-host or unknown; packets are 1 ms apart from
2026-01-01T00:00:00Z.

Examples:
  shieldlink frames encode --pcapng arm.pcapng '{"type":"ARM","seq":1,"flags":1,"commandId":7}'
  shieldlink frames encode '{"type":"HEARTBEAT","seq":0,"flags":0,"senderTimeUs":0,"heartbeatCount":0}'
  shieldlink frames decode < capture.hex | shieldlink frames encode   # re-encode a capture
  shieldlink frames encode < messages.jsonl | xxd -r -p > frames.bin

Exit codes: 0 every line encoded, 2 a line was not a valid message (after all lines),
3 the input could not be read.`;

/** One input line → the hex wire line, or the reason it cannot be encoded. Never throws. */
export function encodeJsonLine(line: string): { ok: true; hex: string } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (isObject(value) && value.ok === true && isObject(value.message)) value = value.message;
  if (!isObject(value)) return { ok: false, reason: 'expected a JSON object with a "type"' };
  try {
    return { ok: true, hex: Buffer.from(encodeMessage(value as unknown as Message)).toString('hex') };
  } catch (error) {
    if (error instanceof EncodeError) return { ok: false, reason: error.message };
    throw error;
  }
}

export const framesEncodeCommand: Command = {
  path: ['frames', 'encode'],
  summary: 'encode JSON messages (arguments or stdin lines) into hex frames',
  help: HELP,
  async run(args, io) {
    let messages: string[];
    let pcapng: { file: string; link: string; direction: CaptureDirection } | undefined;
    try {
      const parsed = parseArgs({
        args,
        options: { pcapng: { type: 'string' }, link: { type: 'string' }, direction: { type: 'string' } },
        allowPositionals: true,
      });
      messages = parsed.positionals;
      const direction = parsed.values.direction ?? 'host-to-device';
      if (!['host-to-device', 'device-to-host', 'unknown'].includes(direction)) {
        throw new UsageError(`--direction must be host-to-device, device-to-host or unknown, not '${direction}'`);
      }
      if (parsed.values.pcapng !== undefined) {
        pcapng = {
          file: parsed.values.pcapng,
          link: parsed.values.link ?? 'frames',
          direction: direction as CaptureDirection,
        };
      }
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const frames: TimedFrame[] = [];
    let failed = false;
    let number = 0;
    const emit = async (line: string, label: string): Promise<void> => {
      if (line.trim() === '') return;
      const result = encodeJsonLine(line);
      if (!result.ok) {
        failed = true;
        io.stderr.write(`shieldlink frames encode: ${label}: ${result.reason}\n`);
      } else if (pcapng !== undefined) {
        frames.push({
          link: pcapng.link,
          direction: pcapng.direction,
          wire: Buffer.from(result.hex, 'hex'),
          partial: false,
          timestampUs: VIRTUAL_EPOCH_US + frames.length * 1000,
        });
      } else if (!io.stdout.write(result.hex + '\n')) {
        await once(io.stdout, 'drain');
      }
    };
    if (messages.length > 0) {
      for (const message of messages) await emit(message, `argument ${++number}`);
    } else {
      for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
        await emit(line, `line ${++number}`);
      }
    }
    if (pcapng !== undefined) await writeFile(pcapng.file, pcapngOf(frames));
    return failed ? EXIT_USAGE : EXIT_OK;
  },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
