import t from 'tap';
import { CATALOGUE, type MessageSpec, SCHEMA_HASH, computeSchemaHash } from '../../src/protocol/index.js';

interface EditableField {
  name: string;
  kind: string;
  values?: string[];
  doc: string;
}
interface EditableSpec {
  code: number;
  direction: string;
  acknowledged: boolean;
  doc: string;
  sentWhen: string;
  reply: string;
  fields: EditableField[];
}
type Editable = Record<string, EditableSpec>;

/** A deep, writable copy of the catalogue to edit. */
const copy = (): Editable => structuredClone(CATALOGUE) as unknown as Editable;
const hash = (catalogue: Editable): number => computeSchemaHash(catalogue as unknown as Record<string, MessageSpec>);

/**
 * Pinned: the value devices report in IDENT (ICD-CMN-002). A change of this number is a change
 * of the wire contract: regenerate test/vectors and docs/protocol.md, and tell the firmware team.
 */
t.test('schema hash of this catalogue is pinned', async (t) => {
  t.equal(SCHEMA_HASH.toString(16).padStart(8, '0'), 'a2ef2ce5');
  t.equal(computeSchemaHash(CATALOGUE), SCHEMA_HASH, 'stable across calls');
  t.equal(hash(copy()), SCHEMA_HASH, 'a copy hashes the same');
});

t.test('the hash covers every wire-relevant property', async (t) => {
  const edits: [string, (c: Editable) => void][] = [
    ['a field kind', (c) => (c.HEARTBEAT!.fields[1]!.kind = 'u16')],
    ['a field name', (c) => (c.HEARTBEAT!.fields[1]!.name = 'beats')],
    ['field order', (c) => (c.HEARTBEAT!.fields = [...c.HEARTBEAT!.fields].reverse())],
    ['a field added', (c) => (c.ARM!.fields = [...c.ARM!.fields, { name: 'x', kind: 'u8', doc: '' }])],
    ['an enum value', (c) => (c.NAK!.fields[3]!.values![1] = 'wrong-state')],
    ['an enum value added', (c) => c.NAK!.fields[3]!.values!.push('new-reason')],
    ['a type code', (c) => (c.ABORT!.code = 0x47)],
    ['a direction', (c) => (c.HEARTBEAT!.direction = 'device-to-host')],
    ['the ack rule', (c) => (c.SLEW!.acknowledged = false)],
    ['a message added', (c) => (c.EXTRA = { ...c.ARM!, code: 0x60 })],
  ];
  for (const [what, edit] of edits) {
    const changed = copy();
    edit(changed);
    t.not(hash(changed), SCHEMA_HASH, `changing ${what} changes the hash`);
  }
});

t.test('documentation does not change the hash', async (t) => {
  const changed = copy();
  changed.FIRE!.doc = 'reworded';
  changed.FIRE!.sentWhen = 'reworded';
  changed.FIRE!.reply = 'reworded';
  changed.FIRE!.fields[0]!.doc = 'reworded';
  t.equal(hash(changed), SCHEMA_HASH);
});
