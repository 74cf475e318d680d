import type {
  AsterixFields,
  AsterixRecord,
  AsterixValue,
  CategorySpec,
  ItemStructure,
} from '../../../src/asterix/index.js';
import { type TsharkRecord, type TsharkTree, asArray } from './tshark.js';

type TsharkNode = string | TsharkTree | (string | TsharkTree)[];

/** Whether our value equals tshark's printed value (hex, decimal, or text). */
export function sameValue(ours: AsterixValue | undefined, theirs: string): boolean {
  if (typeof ours === 'string')
    return ours.startsWith('0x') && theirs.startsWith('0x') ? BigInt(ours) === BigInt(theirs) : ours === theirs;
  if (typeof ours !== 'number') return false;
  const value = theirs.startsWith('0x') ? parseInt(theirs, 16) : Number(theirs);
  return Math.abs(value - ours) <= 1e-9 * Math.max(1, Math.abs(ours));
}

function namedFields(structure: ItemStructure): string[] {
  if (structure.kind === 'fixed') return structure.fields.filter((f) => f.kind !== 'spare').map((f) => f.name);
  if (structure.kind === 'extended')
    return structure.parts
      .flat()
      .filter((f) => f.kind !== 'spare')
      .map((f) => f.name);
  return [];
}

/** Compare the fields of one (fixed or extended) node; `prefix` is tshark's "asterix.048_040_". */
function compareFields(
  where: string,
  prefix: string,
  structure: ItemStructure,
  ours: AsterixFields,
  theirs: TsharkTree,
  out: string[],
): void {
  const names = namedFields(structure);
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(theirs)) {
    if (key === 'asterix.FX' || key === 'asterix.fspec') continue;
    if (!key.startsWith(prefix)) {
      out.push(`${where}: unexpected tshark field ${key}`);
      continue;
    }
    let name = key.slice(prefix.length);
    if (name === 'VALUE' && names.length === 1) name = names[0]!;
    seen.add(name);
    for (const one of asArray(value)) {
      if (typeof one !== 'string') out.push(`${where}/${name}: tshark gave a subtree`);
      else if (!sameValue(ours[name], one))
        out.push(`${where}/${name}: ours ${JSON.stringify(ours[name])}, tshark ${one}`);
    }
  }
  for (const name of Object.keys(ours)) if (!seen.has(name)) out.push(`${where}/${name}: ours only`);
}

function compareNode(
  where: string,
  prefix: string,
  structure: ItemStructure,
  ours: AsterixValue,
  theirs: TsharkNode,
  out: string[],
): void {
  if (typeof theirs === 'string' || Array.isArray(theirs)) {
    out.push(`${where}: tshark printed no subtree`);
    return;
  }
  switch (structure.kind) {
    case 'fixed':
    case 'extended':
      if (typeof ours === 'number' || typeof ours === 'string') {
        compareFields(where, prefix, structure, { [namedFields(structure)[0]!]: ours }, theirs, out);
      } else {
        compareFields(where, prefix, structure, ours as AsterixFields, theirs, out);
      }
      return;
    case 'repetitive': {
      const elements = asArray(theirs[prefix.slice(0, -1)]);
      const count = theirs['asterix.counter'];
      const list = ours as AsterixValue[];
      if (typeof count === 'string' && Number(count) !== list.length)
        out.push(`${where}: ${list.length} elements, tshark counter ${count}`);
      if (elements.length !== list.length) out.push(`${where}: ${list.length} elements, tshark ${elements.length}`);
      elements.forEach((element, n) =>
        compareNode(`${where}[${n}]`, prefix, structure.element, list[n] ?? {}, element, out),
      );
      return;
    }
    case 'compound': {
      const fields = ours as AsterixFields;
      const seen = new Set<string>();
      for (const [key, value] of Object.entries(theirs)) {
        if (key === 'asterix.FX' || key === 'asterix.fspec') continue;
        const name = key.slice(prefix.length);
        const sub = structure.subfields.find((candidate) => candidate?.name === name);
        if (!sub) {
          out.push(`${where}: tshark subfield ${key} unknown to us`);
          continue;
        }
        seen.add(name);
        if (fields[name] === undefined) out.push(`${where}/${name}: tshark only`);
        else compareNode(`${where}/${name}`, `${key}_`, sub.item, fields[name]!, value, out);
      }
      for (const name of Object.keys(fields)) if (!seen.has(name)) out.push(`${where}/${name}: ours only`);
      return;
    }
    default:
      out.push(`${where}: ${structure.kind} items are not compared`);
  }
}

/** Every difference between our record and tshark's, as readable lines (empty = equal). */
export function compareRecord(spec: CategorySpec, ours: AsterixRecord, theirs: TsharkRecord): string[] {
  const out: string[] = [];
  const cat = String(spec.category).padStart(3, '0');
  const where = `frame ${theirs.frame} CAT${cat}`;
  if (ours.category !== theirs.category) out.push(`${where}: category ${ours.category} vs ${theirs.category}`);
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(theirs.items)) {
    const id = key.slice(`asterix.${cat}_`.length);
    const item = spec.uap.find((candidate) => candidate?.id === id);
    if (!key.startsWith(`asterix.${cat}_`) || !item) {
      out.push(`${where}: tshark item ${key} unknown to us`);
      continue;
    }
    seen.add(id);
    const mine = ours.items.get(id);
    if (mine === undefined) out.push(`${where} I${cat}/${id}: tshark only`);
    else compareNode(`${where} I${cat}/${id}`, `${key}_`, item.structure, mine, value, out);
  }
  for (const id of ours.items.keys()) if (!seen.has(id)) out.push(`${where} I${cat}/${id}: ours only`);
  return out;
}
