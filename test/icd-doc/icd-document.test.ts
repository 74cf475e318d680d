import { readFileSync } from 'node:fs';
import t from 'tap';
import { renderIcdDocument } from '../../src/icd-doc/icd-document.js';
import {
  CATALOGUE,
  ICD_RULES,
  MESSAGE_NAMES,
  NAK_REASONS,
  SCHEMA_HASH,
  canonicalSchemaJson,
} from '../../src/protocol/index.js';
import * as TIMING from '../../src/protocol/timing-rules.js';

const rendered = renderIcdDocument();

t.test('docs/protocol.md is the rendered document (run `npm run docs:protocol` after a change)', async (t) => {
  const committed = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  t.ok(committed === rendered, 'docs/protocol.md is up to date');
  t.equal(renderIcdDocument(), rendered, 'rendering is deterministic');
});

t.test('the document carries every piece of the contract', async (t) => {
  t.match(rendered, `Schema hash **0x${SCHEMA_HASH.toString(16).padStart(8, '0')}**`);
  t.match(rendered, '**0x29B1**', 'CRC check value');
  t.match(rendered, canonicalSchemaJson(CATALOGUE), 'the canonical schema JSON');
  for (const name of MESSAGE_NAMES) {
    const code = `0x${CATALOGUE[name].code.toString(16).padStart(2, '0').toUpperCase()}`;
    t.match(rendered, `### ${code} ${name}\n`, `section of ${name}`);
    for (const field of CATALOGUE[name].fields) t.match(rendered, `\`${field.name}\``, `${name}.${field.name}`);
  }
  for (const rule of ICD_RULES) t.match(rendered, `| ${rule.id} |`, rule.id);
  for (const reason of NAK_REASONS) t.match(rendered, `| \`${reason}\` |`, `NAK reason ${reason}`);
  for (const name of Object.keys(TIMING)) t.match(rendered, `| \`${name}\` |`, `timing constant ${name}`);
  for (const section of ['Physical layer', 'COBS', 'CRC-16/CCITT-FALSE', 'Sequence numbers', 'Device time']) {
    t.match(rendered, new RegExp(`^##+ [0-9.]* ?${section}`, 'm'), section);
  }
});

t.test('every example frame of the document is a golden vector', async (t) => {
  const vectors = JSON.parse(readFileSync(new URL('../vectors/frames.json', import.meta.url), 'utf8')) as {
    wire: string;
    message?: unknown;
  }[];
  const wires = new Set(vectors.filter((v) => v.message !== undefined).map((v) => v.wire));
  const examples = [...rendered.matchAll(/^wire: +([0-9a-f ]+)$/gm)].map((m) => m[1]!.replace(/ /g, ''));
  t.ok(examples.length >= 6, `${examples.length} example frames`);
  for (const wire of examples) t.ok(wires.has(wire), `example ${wire.slice(0, 24)}… is in frames.json`);
});
