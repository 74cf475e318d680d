/** The ICD sections generated from the catalogue: the message table, one section per message, NAK reasons, timing constants. */
import { CRC_BYTES, HEADER_BYTES } from '../framing/index.js';
import { MESSAGE_NAMES, NAK_REASONS, messageSpec } from '../protocol/catalogue/index.js';
import { type FieldSpec, fieldBytes, payloadBytes } from '../protocol/field-spec.js';
import * as TIMING from '../protocol/timing-rules.js';
import { anchor, anchorHeading, directionText, hex8, ms, unitOf, wireBytes } from './format.js';
import { NAK_REASON_MEANINGS, TIMING_MEANINGS } from './meanings.js';
import { cell } from './rules-section.js';

export function catalogueSummary(): string {
  const rows = MESSAGE_NAMES.map((name) => {
    const spec = messageSpec(name);
    return `| ${hex8(spec.code)} | [${name}](#${anchor(spec.code, name)}) | ${spec.family} | ${directionText(spec)} | ${spec.acknowledged ? 'yes' : 'no'} | ${payloadBytes(spec)} | ${wireBytes(name)} |`;
  });
  return `
## Message catalogue

| code | message | device | direction | acknowledged | payload bytes | frame bytes on the wire |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Type codes: 0x01–0x1F common, 0x20–0x3F radar, 0x40–0x5F launcher. Each section below gives the
payload; the header and CRC are as in section 3. "Offset" counts from the start of the payload;
add ${HEADER_BYTES} for the offset in the body.`;
}

export function messageSection(name: (typeof MESSAGE_NAMES)[number]): string {
  const spec = messageSpec(name);
  let offset = 0;
  const rows = spec.fields.map((field) => {
    const row = `| ${offset} | ${fieldBytes(field)} | ${field.kind === 'enum' ? 'enum (u8)' : field.kind} | \`${field.name}\` | ${unitOf(field)} | ${cell(field.doc)} |`;
    offset += fieldBytes(field);
    return row;
  });
  const enums = spec.fields
    .filter((f): f is Extract<FieldSpec, { kind: 'enum' }> => f.kind === 'enum')
    .map(
      (f) =>
        `\`${f.name}\` codes: ${f.values.map((v, code) => `${code} = \`${v}\``).join(', ')}. Other codes are invalid (\`field\`).`,
    );
  return `
### ${anchorHeading(spec.code, name)}

${cell(spec.doc)}

- Device: ${spec.family}. Direction: ${directionText(spec)}.
- Sent: ${spec.sentWhen}
- Reply expected: ${spec.reply}.
- ${spec.acknowledged ? 'Acknowledged: the sender sets ACK requested and retransmits until ACK or NAK.' : 'Not acknowledged: sent with ACK requested clear.'}
- Payload ${payloadBytes(spec)} bytes; body ${payloadBytes(spec) + HEADER_BYTES + CRC_BYTES} bytes; ${wireBytes(name)} bytes on the wire.

| offset | size | type | field | unit | meaning |
|---|---|---|---|---|---|
${rows.length === 0 ? '| — | 0 | | (no fields) | | |' : rows.join('\n')}
${enums.length === 0 ? '' : '\n' + enums.join('\n\n')}`;
}

export function nakReasons(): string {
  const rows = NAK_REASONS.map((reason, code) => `| ${code} | \`${reason}\` | ${cell(NAK_REASON_MEANINGS[reason])} |`);
  return `
## NAK reasons

NAK.reason (ICD-CMN-006). When several reasons apply, the order of section 8.1 and of the FIRE
checks (12.3) decides which one a device sends (ICD-CMN-011).

| code | reason | meaning |
|---|---|---|
${rows.join('\n')}`;
}

export function timingConstants(): string {
  const rows = (Object.keys(TIMING_MEANINGS) as (keyof typeof TIMING)[]).map((name) => {
    const value = TIMING[name];
    const shown = name.endsWith('_US') ? `${value.toLocaleString('en-US')} µs (${ms(value)} ms)` : String(value);
    return `| \`${name}\` | ${shown} | ${cell(TIMING_MEANINGS[name].meaning)} | ${TIMING_MEANINGS[name].rules} |`;
  });
  return `
## Timing

Named as in \`src/protocol/timing-rules.ts\`.

| constant | value | meaning | rules |
|---|---|---|---|
${rows.join('\n')}`;
}
