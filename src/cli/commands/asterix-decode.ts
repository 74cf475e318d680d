import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  AsterixDecoder,
  type AsterixBlockError,
  type AsterixRecord,
  CaptureFileError,
  readCapture,
  recordJson,
} from '../../asterix/index.js';
import { type Command, EXIT_OK, EXIT_RUNTIME, UsageError } from '../command.js';

const HELP = `Usage: shieldlink asterix decode FILE [--json] [--category N]

Decode EUROCONTROL ASTERIX from a packet capture (pcap or pcapng: every UDP datagram is read as
ASTERIX, whatever its port) or from a raw file of data blocks. Prints one JSON object per
record, items keyed by their spec numbers and fields by their spec names, in spec units (NM,
degrees, seconds since midnight, flight levels, NM/s, metres):
  {"category":48,"items":{"010":{"SAC":25,"SIC":201},"140":{"ToD":27354.6015625},
   "040":{"RHO":197.68359375,"THETA":340.13671875},"090":{"V":0,"G":0,"FL":330},...}}
Categories read: 034 (service messages), 048 (monoradar target reports), 062 (system tracks);
blocks of any other category are skipped by their length. A malformed data block is dropped
whole (one line on standard error, or a JSON line with --json) and the next block is read.
A summary line goes to standard error at the end.

Options:
  --json         report malformed blocks and unreadable files as JSON lines on standard output:
                 {"error":"record-overrun","frame":3,"category":48,"offset":0,"detail":"..."}
  --category N   print only records of category N

Examples:
  shieldlink asterix decode cat_034_048.pcap | jq -c 'select(.category == 48) | .items["040"]'
  shieldlink asterix decode radar.raw --json --category 34

Exit codes: 0 the file was read (even if blocks were dropped), 2 bad option,
3 the file could not be read or the capture is cut short.`;

export const asterixDecodeCommand: Command = {
  path: ['asterix', 'decode'],
  summary: 'decode ASTERIX (CAT034/048/062) from a pcap, pcapng or raw block file into JSON lines',
  help: HELP,
  async run(args, io) {
    const options = parseOptions(args);
    const fail = (kind: string, detail: string): number => {
      if (options.json) io.stdout.write(JSON.stringify({ error: kind, detail }) + '\n');
      else io.stderr.write(`asterix decode: ${detail}\n`);
      return EXIT_RUNTIME;
    };
    let bytes: Uint8Array;
    try {
      bytes = await readFile(options.file);
    } catch (error) {
      return fail('read', `cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let capture;
    try {
      capture = readCapture(bytes);
    } catch (error) {
      if (error instanceof CaptureFileError) return fail('capture', `${options.file}: ${error.message}`);
      throw error;
    }
    const decoder = new AsterixDecoder();
    let printed = 0;
    let frame = 0;
    const lines: string[] = [];
    const sink = {
      record: (record: AsterixRecord) => {
        if (options.category !== undefined && record.category !== options.category) return;
        printed++;
        lines.push(recordJson(record));
      },
      error: (error: AsterixBlockError) => {
        if (options.json)
          lines.push(
            JSON.stringify({
              error: error.kind,
              frame,
              category: error.category,
              offset: error.offset,
              detail: error.detail,
            }),
          );
        else
          io.stderr.write(
            `asterix decode: frame ${frame}, block at ${error.offset} (CAT${error.category}): ${error.kind}: ${error.detail}\n`,
          );
      },
    };
    for (const datagram of capture.datagrams) {
      frame = datagram.frame;
      decoder.decode(datagram.payload, sink);
      if (lines.length > 0) {
        // Wait for a slow reader (a pager, a pipe) rather than buffer a whole capture.
        if (!io.stdout.write(lines.join('\n') + '\n')) await once(io.stdout, 'drain');
        lines.length = 0;
      }
    }
    const c = decoder.counters;
    io.stderr.write(
      `asterix decode: ${capture.format}, ${capture.datagrams.length} datagrams, ${c.blocks} blocks, ${c.records} records (${printed} printed), ` +
        `${c.unknownCategoryBlocks} blocks of other categories skipped, ${c.malformedBlocks} malformed blocks dropped, ${capture.skippedPackets} non-UDP packets skipped\n`,
    );
    return EXIT_OK;
  },
};

function parseOptions(args: string[]): { file: string; json: boolean; category?: number } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { json: { type: 'boolean' }, category: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length !== 1) throw new UsageError('asterix decode takes one FILE (see --help)');
  let category: number | undefined;
  if (parsed.values.category !== undefined) {
    category = Number(parsed.values.category);
    if (!Number.isInteger(category) || category < 0 || category > 255)
      throw new UsageError(`--category: expected 0-255, got ${parsed.values.category}`);
  }
  return {
    file: parsed.positionals[0]!,
    json: parsed.values.json === true,
    ...(category === undefined ? {} : { category }),
  };
}
