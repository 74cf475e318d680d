import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportJsonSchemas } from '../../bridge/index.js';
import { type Command, EXIT_OK, UsageError } from '../command.js';

const HELP = `Usage: shieldlink schema [--out DIR]

Export the JSON Schemas (draft 2020-12) of every MQTT payload of the bridge (docs/mqtt.md):
status, device-state, tracks, engagement-event, metrics, command-request, command-result,
audit-record. Each schema carries x-shieldlink-topic, x-shieldlink-qos, x-shieldlink-retained.

Without --out, prints one JSON object { name: schema, ... } on stdout. With --out, writes
DIR/<name>.schema.json (creating DIR) and prints the paths.

Examples:
  shieldlink schema --out schemas/
  shieldlink schema | jq '."command-request"'

Exit codes: 0 written, 2 bad option, 3 cannot write.`;

export const schemaCommand: Command = {
  path: ['schema'],
  summary: 'export JSON Schemas of every MQTT payload',
  help: HELP,
  async run(args, io) {
    let out: string | undefined;
    try {
      const parsed = parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: false });
      out = parsed.values.out;
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const schemas = exportJsonSchemas();
    if (out === undefined) {
      io.stdout.write(JSON.stringify(schemas, null, 2) + '\n');
      return EXIT_OK;
    }
    await mkdir(out, { recursive: true });
    for (const [name, schema] of Object.entries(schemas)) {
      const file = join(out, `${name}.schema.json`);
      await writeFile(file, JSON.stringify(schema, null, 2) + '\n');
      io.stdout.write(file + '\n');
    }
    return EXIT_OK;
  },
};
