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

t.test('frame corpus: every entry is decoded or rejected with a typed error, never thrown', async (t) => {
  const entries = readCorpus('frames');
  t.ok(entries.length > 0, `${entries.length} entries`);
  for (const entry of entries) {
    const bytes = Buffer.from(entry.hex ?? '', 'hex');
    for (const result of [decodeWireFrame(bytes), decodeFrame(bytes)]) {
      t.ok(
        result.ok || FRAME_ERROR_CODES.includes(result.error),
        `${entry.note}: ${result.ok ? result.message.type : result.error}`,
      );
    }
    let errors = 0;
    const reader = new FrameReader({ onMessage: () => undefined, onError: () => errors++ });
    t.doesNotThrow(() => {
      reader.push(bytes);
      reader.push(Uint8Array.of(0));
      reader.end();
    }, `${entry.note}: the stream reader survives it`);
  }
});

t.test('config corpus: every entry parses or is a ConfigError', async (t) => {
  const entries = readCorpus('config');
  t.ok(entries.length > 0, `${entries.length} entries`);
  for (const entry of entries) {
    const text = entry.text ?? '';
    for (const [name, parse] of [
      ['parseScenario', () => parseScenario('corpus.yaml', text)],
      ['parseConfigText', () => parseConfigText('corpus.yaml', text, benchConfigSchema)],
    ] as const) {
      const outcome = configOutcome(parse);
      t.ok(outcome.kind === 'parsed' || outcome.kind === 'config-error', `${name}: ${entry.note} (${outcome.kind})`, {
        todo: entry.knownDefect === undefined ? false : `known defect ${entry.knownDefect}, reported`,
      });
    }
  }
});
