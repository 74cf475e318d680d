import type { AsterixRecord } from './asterix-record.js';
import { CATEGORIES } from './categories/index.js';
import type { CategorySpec } from './item-spec.js';

/**
 * One record as a JSON line, items in FSPEC (UAP) order — `JSON.stringify` alone would move
 * items such as "140" ahead of "010" (integer-like keys sort first in JavaScript objects).
 */
export function recordJson(record: AsterixRecord, categories: ReadonlyMap<number, CategorySpec> = CATEGORIES): string {
  const spec = categories.get(record.category);
  const ids = spec ? spec.uap.flatMap((item) => (item && item.id in record.items ? [item.id] : [])) : Object.keys(record.items);
  const items = ids.map((id) => `${JSON.stringify(id)}:${JSON.stringify(record.items[id])}`).join(',');
  return `{"category":${record.category},"items":{${items}}}`;
}
