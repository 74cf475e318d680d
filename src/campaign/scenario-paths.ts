import { type Document, isSeq } from 'yaml';

/** One step of a parameter path: a key, an index, every index, or the entry with an id. */
export type PathSegment =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'all' }
  | { readonly kind: 'id'; readonly id: string };

/** A path that cannot be parsed or does not lead anywhere in the scenario. */
export class ScenarioPathError extends Error {
  readonly code = 'scenario-path';
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioPathError';
  }
}

/**
 * Parse `radars[*].rangeSigmaM`, `launchers[id=launcher-2].rounds`, `targets.length`. Throws
 * ScenarioPathError naming the bad part.
 */
export function parseScenarioPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)|\[(\*|\d+|id=[a-z0-9][a-z0-9_-]*)\]|(\.)/y;
  let expectKey = true;
  let at = 0;
  while (at < path.length) {
    re.lastIndex = at;
    const m = re.exec(path);
    if (m === null) throw new ScenarioPathError(`'${path}': unexpected '${path.slice(at)}'`);
    at = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectKey) throw new ScenarioPathError(`'${path}': expected '.' or '[' before '${m[1]}'`);
      segments.push({ kind: 'key', key: m[1] });
      expectKey = false;
    } else if (m[2] !== undefined) {
      if (expectKey) throw new ScenarioPathError(`'${path}': index without a list before it`);
      if (m[2] === '*') segments.push({ kind: 'all' });
      else if (m[2].startsWith('id=')) segments.push({ kind: 'id', id: m[2].slice(3) });
      else segments.push({ kind: 'index', index: Number(m[2]) });
    } else {
      if (expectKey) throw new ScenarioPathError(`'${path}': unexpected '.'`);
      expectKey = true;
    }
  }
  if (segments.length === 0 || expectKey) throw new ScenarioPathError(`'${path}': incomplete path`);
  return segments;
}

/** A concrete place: keys and indices from the document root. */
export type ConcretePath = readonly (string | number)[];

/** What a parameter does at one concrete place: set a value, or keep the first N list entries. */
export interface PathTarget {
  readonly at: ConcretePath;
  /** `length`: truncate the list at `at` to the value. */
  readonly op: 'set' | 'length';
}

/**
 * Expand a parsed path over the scenario as written (plain JS from the YAML): every `[*]` and
 * `[id=…]` becomes concrete indices. The last key `length` on a list means truncation. Throws
 * ScenarioPathError when a step leads nowhere (unknown key, index beyond the list, no such id):
 * a sweep must not silently set nothing.
 */
export function expandScenarioPath(root: unknown, path: string, segments: readonly PathSegment[]): PathTarget[] {
  let frontier: { at: (string | number)[]; value: unknown }[] = [{ at: [], value: root }];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    const next: typeof frontier = [];
    for (const { at, value } of frontier) {
      const where = at.length === 0 ? 'the scenario' : formatConcretePath(at);
      if (segment.kind === 'key') {
        if (last && segment.key === 'length' && Array.isArray(value))
          return frontier.map((f) => ({ at: f.at, op: 'length' }));
        if (value === null || typeof value !== 'object' || Array.isArray(value))
          throw new ScenarioPathError(`'${path}': ${where} is not a map`);
        // A leaf may be absent (a default applies): setting it is fine; a missing inner step is not.
        if (!last && !(segment.key in value))
          throw new ScenarioPathError(`'${path}': ${where} has no '${segment.key}'`);
        next.push({ at: [...at, segment.key], value: (value as Record<string, unknown>)[segment.key] });
      } else {
        if (!Array.isArray(value)) throw new ScenarioPathError(`'${path}': ${where} is not a list`);
        if (segment.kind === 'all') value.forEach((item, index) => next.push({ at: [...at, index], value: item }));
        else if (segment.kind === 'index') {
          if (segment.index >= value.length)
            throw new ScenarioPathError(`'${path}': ${where} has ${value.length} entries, no [${segment.index}]`);
          next.push({ at: [...at, segment.index], value: value[segment.index] });
        } else {
          const index = value.findIndex(
            (item) => item !== null && typeof item === 'object' && (item as { id?: unknown }).id === segment.id,
          );
          if (index < 0) throw new ScenarioPathError(`'${path}': ${where} has no entry with id '${segment.id}'`);
          next.push({ at: [...at, index], value: value[index] });
        }
      }
    }
    frontier = next;
  }
  if (frontier.length === 0) throw new ScenarioPathError(`'${path}': matches nothing (an empty list)`);
  return frontier.map((f) => ({ at: f.at, op: 'set' }));
}

/**
 * Apply targets to a YAML document in place (comments and layout elsewhere kept). `length`
 * keeps the first `value` entries and refuses to grow a list (there is nothing to copy).
 */
export function applyToDocument(doc: Document, targets: readonly PathTarget[], value: unknown, name: string): void {
  for (const target of targets) {
    if (target.op === 'set') {
      doc.setIn(target.at, value);
      continue;
    }
    const node = target.at.length === 0 ? doc.contents : doc.getIn(target.at, true);
    if (!isSeq(node)) throw new ScenarioPathError(`${name}: ${formatConcretePath(target.at)} is not a list`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      throw new ScenarioPathError(`${name}: ${formatConcretePath(target.at)}.length: expected an integer >= 0`);
    if (value > node.items.length)
      throw new ScenarioPathError(
        `${name}: ${formatConcretePath(target.at)}.length: expected at most ${node.items.length} (the scenario's entries)`,
      );
    node.items.splice(value);
  }
}

/** `['radars', 0, 'rangeSigmaM']` → `radars[0].rangeSigmaM` (as config errors name fields). */
export function formatConcretePath(at: ConcretePath): string {
  let out = '';
  for (const part of at) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}
