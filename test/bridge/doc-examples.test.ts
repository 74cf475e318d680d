import { readFileSync } from 'node:fs';
import t from 'tap';
import { PAYLOADS } from '../../src/bridge/json-schemas.js';

/** Every JSON example in docs/mqtt.md is a valid payload of some topic (docs cannot drift). */
t.test('docs/mqtt.md JSON examples match the payload schemas', async (t) => {
  const doc = readFileSync(new URL('../../docs/mqtt.md', import.meta.url), 'utf8');
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  t.ok(blocks.length >= 10, `${blocks.length} JSON examples`);
  for (const block of blocks) {
    const value = JSON.parse(block) as unknown;
    const matches = PAYLOADS.filter((spec) => spec.schema.safeParse(value).success).map((spec) => spec.name);
    t.ok(matches.length > 0, `valid ${matches.join('|') || 'NOTHING'}: ${block.slice(0, 50).replace(/\s+/g, ' ')}`);
  }
});
