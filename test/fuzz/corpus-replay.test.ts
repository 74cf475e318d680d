import t from 'tap';
import { benchConfigSchema } from '../../src/config/bench-config-schema.js';
import { parseScenario } from '../../src/config/load-scenario.js';
import { parseConfigText } from '../../src/config/parse-config-file.js';
import { FRAME_ERROR_CODES } from '../../src/framing/index.js';
import { FrameReader, decodeFrame, decodeWireFrame } from '../../src/protocol/index.js';
import { configOutcome } from './support/config-outcome.js';
import { readCorpus } from './support/fuzz-settings.js';

/**
 * Every input that once failed a fuzzer (or is worth keeping) is replayed here on every
 * `npm test`: test/corpus/frames/*.json through every frame decoder and the stream reader,
 * test/corpus/config/*.json through both config loaders. (The MQTT command corpus is
 * test/bridge/corpus/command-payloads.json, replayed by test/bridge/command-fuzz.test.ts.)
 */

t.test('frame corpus: every entry is decoded or rejected with the code it states, never thrown', async (t) => {
  const entries = readCorpus('frames');
  t.ok(entries.length > 0, `${entries.length} entries`);
  for (const entry of entries) {
    const expected = entry.expect;
    if (typeof expected !== 'string') {
      t.fail(`${entry.note}: the entry states no expected outcome ("expect": a FrameError code or "ok:TYPE")`);
      continue;
    }
    t.ok(
      expected.startsWith('ok:') || FRAME_ERROR_CODES.includes(expected as never),
      `${entry.note}: expects ${expected}`,
    );
    const wire = Buffer.from(entry.hex ?? '', 'hex');
    // decodeFrame takes the COBS block between delimiters; decodeWireFrame the wire form.
    const block = wire.length > 0 && wire[wire.length - 1] === 0 ? wire.subarray(0, wire.length - 1) : wire;
    for (const [name, result] of [
      ['decodeWireFrame', decodeWireFrame(wire)],
      ['decodeFrame', decodeFrame(block)],
    ] as const) {
      t.equal(result.ok ? `ok:${result.message.type}` : result.error, expected, `${entry.note}: ${name}`);
    }
    // The stream reader: an empty block is idle fill (no error); anything else is reported with
    // the same code, and the reader survives it.
    const errors: string[] = [];
    const messages: string[] = [];
    const reader = new FrameReader({ onMessage: (m) => messages.push(m.type), onError: (e) => errors.push(e.error) });
    t.doesNotThrow(() => {
      reader.push(wire);
      reader.push(Uint8Array.of(0));
      reader.end();
    }, `${entry.note}: the stream reader survives it`);
    if (expected.startsWith('ok:')) t.same(messages, [expected.slice(3)], `${entry.note}: the reader delivers it`);
    else t.same(errors, block.length === 0 ? [] : [expected], `${entry.note}: the reader reports ${expected}`);
  }
});

t.test('config corpus: every entry parses or is a ConfigError naming what it states', async (t) => {
  const entries = readCorpus('config');
  t.ok(entries.length > 0, `${entries.length} entries`);
  for (const entry of entries) {
    const text = entry.text ?? '';
    for (const [name, parse] of [
      ['parseScenario', () => parseScenario('corpus.yaml', text)],
      ['parseConfigText', () => parseConfigText('corpus.yaml', text, benchConfigSchema)],
    ] as const) {
      const expected = typeof entry.expect === 'object' ? entry.expect[name] : undefined;
      if (expected === undefined) {
        t.fail(`${entry.note}: the entry states no expected outcome for ${name}`);
        continue;
      }
      const outcome = configOutcome(parse);
      if (expected === 'parsed') t.equal(outcome.kind, 'parsed', `${name}: ${entry.note}`);
      else {
        t.equal(outcome.kind, 'config-error', `${name}: ${entry.note}`);
        if (outcome.kind === 'config-error')
          t.match(outcome.issues, new RegExp(expected), `${name}: names ${expected}`);
      }
    }
  }
  t.equal(({} as Record<string, unknown>)['polluted'], undefined, 'no entry polluted Object.prototype');
});
