import {
  CRC_BYTES,
  HEADER_BYTES,
  MAX_BODY_BYTES,
  MAX_ENCODED_FRAME_BYTES,
  PROTOCOL_VERSION,
} from '../framing/index.js';
import {
  CATALOGUE,
  type FieldSpec,
  MESSAGE_NAMES,
  type MessageSpec,
  SCHEMA_HASH,
  fieldBytes,
  payloadBytes,
} from '../protocol/index.js';
import { CAPTURE_HEADER_MAGIC, CAPTURE_HEADER_VERSION, CAPTURE_LINKTYPE } from '../capture/capture-record.js';
import { DISSECTOR_RUNTIME } from './dissector-runtime.js';

/** Wireshark field abbreviation of a payload field: `shieldlink.<message in lower case>.<field>`. */
export function payloadFieldAbbrev(messageName: string, fieldName: string): string {
  return `shieldlink.${messageName.toLowerCase()}.${fieldName}`;
}

/** A Lua string literal (double-quoted, escaped). */
function lua(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const PROTO_FIELD: Record<Exclude<FieldSpec['kind'], 'enum'>, string> = {
  u8: 'uint8',
  u16: 'uint16',
  u32: 'uint32',
  u64: 'uint64',
  i8: 'int8',
  i16: 'int16',
  i32: 'int32',
  f32: 'float',
  f64: 'double',
};

/** The ProtoField declaration of one payload field (name with unit, doc as the blurb). */
function fieldDeclaration(messageName: string, field: FieldSpec): string {
  const abbrev = lua(payloadFieldAbbrev(messageName, field.name));
  const blurb = lua(field.doc);
  if (field.kind === 'enum') {
    const table = field.values.map((value, code) => `[${code}] = ${lua(value)}`).join(', ');
    return `ProtoField.uint8(${abbrev}, ${lua(field.name)}, base.DEC, { ${table} }, nil, ${blurb})`;
  }
  const label = lua(field.unit === undefined ? field.name : `${field.name} (${field.unit})`);
  const isInteger = field.kind !== 'f32' && field.kind !== 'f64';
  return isInteger
    ? `ProtoField.${PROTO_FIELD[field.kind]}(${abbrev}, ${label}, base.DEC, nil, nil, ${blurb})`
    : `ProtoField.${PROTO_FIELD[field.kind]}(${abbrev}, ${label}, ${blurb})`;
}

/** The Lua table describing one message: code, name, direction, payload size and fields. */
function messageEntry(name: string, spec: MessageSpec): string {
  let offset = 0;
  const fields = spec.fields.map((field) => {
    const at = offset;
    offset += fieldBytes(field);
    const kind = field.kind === 'enum' ? 'enum' : field.kind;
    const count =
      field.kind === 'enum'
        ? `, count = ${field.values.length}, values = { ${field.values.map((v, c) => `[${c}] = ${lua(v)}`).join(', ')} }`
        : '';
    return `      { name = ${lua(field.name)}, kind = ${lua(kind)}, offset = ${at}, size = ${fieldBytes(field)}${count}, hf = ${fieldDeclaration(name, field)} },`;
  });
  return [
    `  [${spec.code}] = {`,
    `    name = ${lua(name)}, direction = ${lua(spec.direction)}, acknowledged = ${spec.acknowledged}, size = ${payloadBytes(spec)},`,
    `    fields = {`,
    ...fields,
    `    },`,
    `  },`,
  ].join('\n');
}

/**
 * The Wireshark Lua dissector of the ICD, generated from the message catalogue (one file). It
 * dissects packets of link type {@link CAPTURE_LINKTYPE} written by `shieldlink capture` and the
 * other pcapng writers (see src/capture/capture-record.ts for the packet layout): link and
 * direction, the COBS block, header fields, every payload field with its unit and enum meaning,
 * CRC status, and the frame error category the host's decoder would give (docs/protocol.md).
 */
export function renderDissector(): string {
  const messages = MESSAGE_NAMES.map((name) => messageEntry(name, CATALOGUE[name]));
  const constants = [
    `local PROTOCOL_VERSION = ${PROTOCOL_VERSION}`,
    `local HEADER_BYTES = ${HEADER_BYTES}`,
    `local CRC_BYTES = ${CRC_BYTES}`,
    `local MAX_BODY_BYTES = ${MAX_BODY_BYTES}`,
    `local MAX_ENCODED_FRAME_BYTES = ${MAX_ENCODED_FRAME_BYTES}`,
    `local CAPTURE_MAGIC = ${lua(CAPTURE_HEADER_MAGIC)}`,
    `local CAPTURE_VERSION = ${CAPTURE_HEADER_VERSION}`,
    `local CAPTURE_LINKTYPE = ${CAPTURE_LINKTYPE}`,
  ];
  return [
    '-- shieldlink.lua: Wireshark dissector for the shieldlink serial ICD',
    `-- (protocol version ${PROTOCOL_VERSION}, schema hash 0x${SCHEMA_HASH.toString(16).padStart(8, '0')}).`,
    '-- Generated from the message catalogue by `shieldlink wireshark-dissector`; do not edit,',
    '-- regenerate. Install: copy to ~/.local/lib/wireshark/plugins/ (create it if needed) and',
    '-- restart Wireshark, or load it once: wireshark -X lua_script:shieldlink.lua FILE.pcapng',
    `-- It dissects pcapng captures of link type ${CAPTURE_LINKTYPE} (LINKTYPE_USER0) written by shieldlink.`,
    '',
    ...constants,
    '',
    'local MESSAGES = {',
    ...messages,
    '}',
    '',
    DISSECTOR_RUNTIME,
  ].join('\n');
}
