/** The ICD's reference sections: example frames, the schema-hash recipe, the golden vectors. */
import { cobsDecode } from '../framing/index.js';
import { CATALOGUE, SCHEMA_HASH, canonicalSchemaJson } from '../protocol/catalogue/index.js';
import { encodeMessage } from '../protocol/codec.js';
import { EXAMPLE_MESSAGES } from '../protocol/example-messages.js';
import { hex32, spaced, u32Bytes } from './format.js';

export function exampleFrames(): string {
  const picks: [string, string][] = [
    ['HELLO', 'host-to-device'],
    ['IDENT', 'device-to-host'],
    ['HEARTBEAT', 'device-to-host'],
    ['ARM', 'host-to-device'],
    ['NAK', 'device-to-host'],
    ['TRACK_REPORT', 'device-to-host'],
    ['FIRE', 'host-to-device'],
    ['FIRE_REPORT', 'device-to-host'],
  ];
  const blocks = picks.map(([type, direction]) => {
    const { message } = EXAMPLE_MESSAGES.find((e) => e.message.type === type && e.direction === direction)!;
    const wire = encodeMessage(message);
    const body = cobsDecode(wire.subarray(0, wire.length - 1))!;
    return `**${type}** (${direction.replace(/-/g, ' ')})

\`\`\`
message: ${JSON.stringify(message)}
body:    ${spaced(body)}
wire:    ${spaced(wire)}
\`\`\``;
  });
  return `
## Example frames

Taken from the golden vectors (\`test/vectors/frames.json\`, vector names "<type> <direction>").
\`body\` is the decoded body (header, payload, CRC); \`wire\` is what goes on the line.

${blocks.join('\n\n')}`;
}

export function schemaHash(): string {
  return `
## Schema hash

The schema hash identifies the catalogue: every message's name, type code, direction, whether
it is acknowledged, and its fields' names, types and enum values, in order. Documentation text,
units and field descriptions are not part of it.

Computation (ICD-CMN-002), from the tables of this document alone:

1. For each message of the [catalogue](#message-catalogue), in increasing type-code order, make
   the array \`[name, code, direction, acknowledged, fields]\`:
   - \`name\`: the message name as a JSON string, exactly as in the catalogue (\`"HELLO"\`,
     \`"TIME_SYNC_REQUEST"\`);
   - \`code\`: the type code as a JSON number in decimal (0x41 → \`65\`);
   - \`direction\`: one of the JSON strings \`"host-to-device"\` (catalogue: host → device),
     \`"device-to-host"\` (device → host) or \`"both"\` (both ways);
   - \`acknowledged\`: the JSON literal \`true\` or \`false\` (the catalogue's "acknowledged"
     column);
   - \`fields\`: an array with one entry per payload field, in offset order: \`[fieldName, kind]\`
     with the field name as in the tables (\`"schemaHash"\`) and the kind one of \`"u8"\`, \`"u16"\`,
     \`"u32"\`, \`"u64"\`, \`"i8"\`, \`"i16"\`, \`"i32"\`, \`"f32"\`, \`"f64"\` (the type column); an enum
     field is \`[fieldName, "enum", [value names in code order]]\` with the names as JSON strings
     (\`"unknown"\`, \`"radar"\`, \`"launcher"\` for codes 0, 1, 2). A message without payload has
     \`[]\`.
2. Put these arrays in one array and serialise it as JSON with no whitespace at all (no space
   after \`,\` or \`:\`, no newline); every string is plain ASCII with nothing to escape.
3. Take the SHA-256 of those bytes (ASCII = UTF-8).
4. The hash is the first 4 bytes of the digest read as a big-endian u32 (digest \`${spaced(u32Bytes(SCHEMA_HASH, false))} …\`
   → ${hex32(SCHEMA_HASH)}). It travels in HELLO and IDENT as a u32 like any other (little-endian on the
   wire: \`${spaced(u32Bytes(SCHEMA_HASH, true))}\`).

For example the HELLO entry is
\`["HELLO",1,"host-to-device",false,[["schemaHash","u32"],["hostTimeUs","u64"]]]\` and the IDENT
entry begins \`["IDENT",2,"device-to-host",false,[["deviceKind","enum",["unknown","radar","launcher"]],\`.
To check an implementation: \`printf '%s' "$JSON" | sha256sum | cut -c1-8\` prints the hash in
hex.

Current schema hash: **${hex32(SCHEMA_HASH)}** (${SCHEMA_HASH}). The canonical JSON it is computed from:

\`\`\`json
${canonicalSchemaJson(CATALOGUE)}
\`\`\``;
}

export function goldenVectors(): string {
  return `
## Golden vectors

\`test/vectors/frames.json\` is an array of
\`{ "name", "wire", "message" }\` — \`wire\` the lowercase hex of the bytes on the wire, trailing
\`00\` included, \`message\` the decoded message as JSON (\`type\`, \`seq\`, \`flags\`, then the fields
in catalogue order; enum fields by name; f32 values as the exact double of the f32) — and
\`{ "name", "wire", "error" }\` for frames every receiver shall reject with that error code. An
implementation checks itself by decoding every \`wire\` (expecting \`message\` or \`error\`) and by
encoding every \`message\` (expecting \`wire\` exactly). \`shieldlink frames decode\` and
\`shieldlink frames encode\` do the same from the command line.`;
}
