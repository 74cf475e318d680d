import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = fileURLToPath(new URL('../../', import.meta.url));
const commandList = new URL('../../dist/src/cli/command-list.js', import.meta.url).href;
const hooks = new URL('./fixtures/log-heavy-imports.mjs', import.meta.url).href;

// What every command start pays for: the CLI imports every command's module. Heavy packages
// (the MQTT client, serialport and its native binding, the embedded broker, BullMQ, MCAP) load
// only in the functions that use them, so a virtual-time run starts without them.
t.test('importing every command loads none of the heavy packages', async (t) => {
  if (!existsSync(fileURLToPath(commandList))) {
    t.fail('dist/ is missing: run npm run build first');
    return;
  }
  const script = `import { register } from 'node:module'; register(${JSON.stringify(hooks)}); await import(${JSON.stringify(commandList)});`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  t.equal(result.status, 0, result.stderr);
  const heavy = result.stderr.split('\n').filter((line) => line.startsWith('HEAVY '));
  t.same(heavy, [], 'no heavy package imported at start');
});

t.test('the hook does see a heavy import (the test can fail)', async (t) => {
  const script = `import { register } from 'node:module'; register(${JSON.stringify(hooks)}); await import('mqtt');`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  t.equal(result.status, 0, result.stderr);
  t.match(result.stderr, /HEAVY mqtt/);
});
