import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { type CaptureDirection } from '../../src/capture/capture-record.js';
import { pcapngOf } from '../../src/capture/pcapng-writer.js';
import { CATALOGUE, type FieldSpec, type MessageName } from '../../src/protocol/index.js';
import { payloadFieldAbbrev, renderDissector } from '../../src/wireshark/render-dissector.js';
import { runCli } from '../cli/frames-io.js';
import { requireTool, toolMissing } from './system-tool.js';

/** The golden vectors, dissected by the real tshark with the generated Lua dissector. */
const { skip } = requireTool(toolMissing('tshark', ['--version'], 'tshark'));
if (skip !== false) t.comment(`SKIP tshark tests: ${skip}`);

interface Vector {
  readonly name: string;
  readonly wire: string;
  readonly message?: Record<string, unknown> & { type: MessageName; seq: number; flags: number };
  readonly error?: string;
}
interface PdmlField {
  readonly name: string;
  readonly show: string;
  readonly showname: string;
  readonly value: string;
}

const vectors = JSON.parse(readFileSync(new URL('../vectors/frames.json', import.meta.url), 'utf8')) as Vector[];
const LINK = 'radar-1 serial:/dev/ttyUSB0';

function directionOf(vector: Vector): CaptureDirection {
  const spec = vector.message === undefined ? undefined : CATALOGUE[vector.message.type];
  if (spec !== undefined && spec.direction !== 'both') return spec.direction;
  if (vector.name.includes('host-to-device')) return 'host-to-device';
  if (vector.name.includes('device-to-host')) return 'device-to-host';
  return 'unknown';
}
const DIRECTION_CODE: Record<CaptureDirection, string> = { 'host-to-device': '0', 'device-to-host': '1', unknown: '2' };

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The shieldlink fields (and expert infos) of each packet of a PDML document, in order. */
function pdmlPackets(pdml: string): PdmlField[][] {
  return pdml
    .split('<packet>')
    .slice(1)
    .map((packet) => {
      const fields: PdmlField[] = [];
      for (const match of packet.matchAll(/<field name="([^"]+)"([^>]*)>/g)) {
        const attrs = match[2]!;
        const attr = (key: string): string => unescapeXml(new RegExp(`\\b${key}="([^"]*)"`).exec(attrs)?.[1] ?? '');
        if (match[1]!.startsWith('shieldlink.')) {
          fields.push({ name: match[1]!, show: attr('show'), showname: attr('showname'), value: attr('value') });
        }
      }
      return fields;
    });
}

t.test('tshark shows every field of every golden vector as the vector says', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-tshark-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const lua = join(dir, 'shieldlink.lua');
  writeFileSync(lua, renderDissector());
  const capture = join(dir, 'vectors.pcapng');
  writeFileSync(
    capture,
    pcapngOf(
      vectors.map((vector, i) => ({
        link: LINK,
        direction: directionOf(vector),
        wire: Buffer.from(vector.wire, 'hex'),
        partial: false,
        timestampUs: 1_767_225_600_000_000 + i * 1000,
      })),
    ),
  );
  const tshark = spawnSync('tshark', ['-r', capture, '-X', `lua_script:${lua}`, '-T', 'pdml'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  t.equal(tshark.status, 0, `tshark exit status (stderr: ${tshark.stderr})`);
  t.notMatch(tshark.stderr, /Lua: Error|lua_script/i, 'the dissector loads without a Lua error');
  const packets = pdmlPackets(tshark.stdout);
  t.equal(packets.length, vectors.length, 'one packet per vector');

  let checkedFields = 0;
  for (const [i, vector] of vectors.entries()) {
    const fields = packets[i] ?? [];
    const one = (name: string): PdmlField | undefined => fields.find((f) => f.name === name);
    const where = `#${i + 1} ${vector.name}`;
    t.equal(one('shieldlink.link')?.show, LINK, `${where}: link`);
    t.equal(one('shieldlink.direction')?.show, DIRECTION_CODE[directionOf(vector)], `${where}: direction`);
    if (vector.error !== undefined) {
      t.equal(one('shieldlink.error')?.show, vector.error, `${where}: frame error category`);
      if (vector.error === 'crc') {
        t.equal(one('shieldlink.crc.status')?.show, '0', `${where}: CRC status Bad`);
        t.ok(one('shieldlink.crc.bad'), `${where}: Bad CRC expert info`);
      }
      continue;
    }
    const message = vector.message!;
    t.equal(one('shieldlink.error'), undefined, `${where}: no frame error`);
    t.equal(one('shieldlink.crc.status')?.show, '1', `${where}: CRC status Good`);
    t.equal(one('shieldlink.version')?.show, '1', `${where}: version`);
    t.match(one('shieldlink.type')?.showname, `: ${message.type} (0x`, `${where}: type`);
    t.equal(Number(one('shieldlink.seq')?.show), message.seq, `${where}: seq`);
    t.equal(Number(one('shieldlink.flags')?.show), message.flags, `${where}: flags`);
    t.equal(one('shieldlink.flags.ack_requested')?.show, String(message.flags & 1), `${where}: ack flag`);
    t.equal(one('shieldlink.flags.retransmission')?.show, String((message.flags >> 1) & 1), `${where}: retx flag`);

    const spec = CATALOGUE[message.type];
    const prefix = `shieldlink.${message.type.toLowerCase()}.`;
    const shown = fields.filter((f) => f.name.startsWith(prefix));
    t.same(
      shown.map((f) => f.name),
      spec.fields.map((f) => payloadFieldAbbrev(message.type, f.name)),
      `${where}: every payload field shown, in order, and no other`,
    );
    for (const field of spec.fields as readonly FieldSpec[]) {
      const got = shown.find((f) => f.name === payloadFieldAbbrev(message.type, field.name));
      const expected = message[field.name];
      if (got === undefined) continue;
      const raw = Buffer.from(got.value, 'hex');
      checkedFields++;
      if (field.kind === 'enum') {
        t.equal(field.values[Number(got.show)], expected, `${where}: ${field.name} code`);
        t.match(got.showname, `${field.name}: ${String(expected)} (`, `${where}: ${field.name} meaning shown`);
      } else if (field.kind === 'f32' || field.kind === 'f64') {
        const exact = field.kind === 'f32' ? raw.readFloatLE(0) : raw.readDoubleLE(0);
        t.equal(exact, expected, `${where}: ${field.name} bytes`);
        const shownValue = Number(got.show);
        t.ok(
          Math.abs(shownValue - (expected as number)) <= 1e-5 * Math.abs(expected as number),
          `${where}: ${field.name} shown ${got.show} ~ ${String(expected)}`,
        );
      } else {
        t.equal(Number(got.show), expected, `${where}: ${field.name}`);
      }
      if ('unit' in field && field.unit !== undefined) {
        t.match(got.showname, `${field.name} (${field.unit}): `, `${where}: ${field.name} unit shown`);
      }
    }
  }
  t.ok(checkedFields > 300, `${checkedFields} payload fields compared`);
});

t.test('`shieldlink wireshark-dissector` prints the generated dissector', async (t) => {
  const result = await runCli(['wireshark-dissector']);
  t.equal(result.code, 0);
  t.equal(result.stdout, renderDissector(), 'the same Lua');
  t.match(result.stdout, /^-- shieldlink\.lua: Wireshark dissector/);
  t.equal((await runCli(['wireshark-dissector', '--bogus'])).code, 2, 'bad option: exit 2');
});
