import t from 'tap';
import { canonicalJson, commandSigningBytes } from '../../src/bridge/canonical-json.js';
import { encodeTopicLevel, TopicTree } from '../../src/bridge/topic-tree.js';

t.test('topic tree of a node', async (t) => {
  const topics = new TopicTree('bench-3');
  t.equal(topics.status, 'shieldlink/v1/bench-3/status');
  t.equal(topics.deviceState('launcher-1'), 'shieldlink/v1/bench-3/devices/launcher-1/state');
  t.equal(topics.engagement('42'), 'shieldlink/v1/bench-3/engagements/42');
  t.equal(topics.command('arm'), 'shieldlink/v1/bench-3/commands/arm');
  t.equal(topics.commandResult, 'shieldlink/v1/bench-3/commands/result');
  t.equal(topics.verbOf('shieldlink/v1/bench-3/commands/arm'), 'arm');
  t.equal(topics.verbOf('shieldlink/v1/bench-3/commands/arm/x'), undefined);
  t.equal(topics.verbOf('shieldlink/v1/bench-4/commands/arm'), undefined);
  t.throws(() => new TopicTree('a/b'), { code: 'invalid-id' });
  t.throws(() => new TopicTree('#'), { code: 'invalid-id' });
});

t.test('topic levels are percent-encoded so no producer id can add levels or wildcards', async (t) => {
  t.equal(encodeTopicLevel('radar-1'), 'radar-1');
  t.equal(encodeTopicLevel('a/b+c#d e'), 'a%2Fb%2Bc%23d%20e');
  t.equal(encodeTopicLevel('é'), '%C3%A9');
  t.equal(encodeTopicLevel(''), '_');
  t.equal(encodeTopicLevel('%'), '%25');
});

t.test('canonical JSON: sorted keys at every level, no whitespace, integers only', async (t) => {
  t.equal(
    canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } }),
    '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
  );
  t.equal(canonicalJson({ a: undefined, b: -0 }), '{"b":0}');
  t.equal(canonicalJson('line\nbreak "quoted" \\ \u0001 é'), '"line\\nbreak \\"quoted\\" \\\\ \\u0001 é"');
  t.equal(canonicalJson({ B: 1, a: 2, _: 3 }), '{"B":1,"_":3,"a":2}', 'UTF-16 code-unit order');
  t.throws(() => canonicalJson(1.5), { code: 'canonical-json' });
  t.throws(() => canonicalJson(2 ** 53), { code: 'canonical-json' });
  t.throws(() => canonicalJson(Number.NaN), { code: 'canonical-json' });
  t.equal(
    commandSigningBytes({ signature: 'ab', z: 1, a: 'x' }).toString(),
    '{"a":"x","z":1}',
    'the signature member is left out',
  );
});
