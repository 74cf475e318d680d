import type { AsterixRecord } from './asterix-record.js';

/** One record as a JSON line: `{"category":48,"items":{"010":{…},"140":{…},…}}`, items in FSPEC order. */
export function recordJson(record: AsterixRecord): string {
  let items = '';
  for (const [id, value] of record.items)
    items += `${items === '' ? '' : ','}${JSON.stringify(id)}:${JSON.stringify(value)}`;
  return `{"category":${record.category},"items":{${items}}}`;
}
