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

/** The lines of the section of one message, up to the next heading. */
function messageSectionOf(name: string): string {
  const start = rendered.indexOf(` ${name}\n`, rendered.indexOf('## Message catalogue'));
  return rendered.slice(start, rendered.indexOf('\n### ', start + 1));
}

t.test('the message sections agree with the rules (no second, weaker statement of a rule)', async (t) => {
  const sentLine = (name: string) => /^- Sent: (.*)$/m.exec(messageSectionOf(name))?.[1] ?? '';
  for (const field of ['state', 'watchdog', 'roundsReady', 'pendingFireCommandId']) {
    t.match(sentLine('LAUNCHER_STATUS'), field, `LAUNCHER_STATUS is sent on a change of ${field} (ICD-LNCH-001)`);
  }
  for (const field of ['mode', 'health'])
    t.match(sentLine('RADAR_STATUS'), field, `RADAR_STATUS is sent on a change of ${field} (ICD-RDR-001)`);
  for (const name of ['RADAR_STATUS', 'LAUNCHER_STATUS']) t.match(sentLine(name), '105 ms', `${name}: the longest gap`);
  t.notMatch(rendered, /at least this often/, 'the status period is nominal: the limit is the 105 ms gap');
  const fireReport = messageSectionOf('FIRE_REPORT');
  t.notMatch(fireReport, /until ACKed/, 'FIRE_REPORT repeats until ACK or NAK (ICD-LNCH-015)');
  t.match(fireReport, /^- Reply expected: ACK or NAK/m);
  t.match(sentLine('FIRE_REPORT'), '200 ms', 'FIRE_REPORT: its repeat interval');
  for (const name of ['ACK', 'NAK']) {
    const row = /^\| 3 \| 4 \| u32 \| `commandId` \|.*$/m.exec(messageSectionOf(name))?.[0] ?? '';
    t.match(row, 'fireCommandId', `${name} echoes FIRE_REPORT's fireCommandId (ICD-CMN-005)`);
    t.notMatch(row, 'when it has none', `${name}: every acknowledged frame has an id to echo`);
  }
});

t.test('every rule the kit checks binds a device or the frame: host rules are marked not checked', async (t) => {
  for (const rule of ICD_RULES.filter((r) => r.appliesTo === 'host'))
    t.notOk(rule.checkedByConformance, `${rule.id} binds the host: the kit cannot check it against a device`);
  t.match(rendered, /\| ICD-CMN-002 \| device \| yes \|/, 'the schema hash in IDENT is the device rule');
  t.match(rendered, /\| ICD-HOST-003 \| host \| no \|/, 'failing closed on a mismatch is the host rule');
});
