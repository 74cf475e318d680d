import { existsSync } from 'node:fs';
import t from 'tap';
import { openPtyPair } from '../../src/transport/pty-pair.js';
import { skipUnlessTools } from '../support/require-tool.js';

const skip = skipUnlessTools('socat');

t.test('pty pair: two PTYs while socat runs, gone after close()', { skip }, async (t) => {
  const pty = await openPtyPair();
  t.equal(pty.paths.length, 2);
  t.not(pty.paths[0], pty.paths[1]);
  for (const path of pty.paths) {
    t.match(path, /^\/dev\/pts\/\d+$/);
    t.ok(existsSync(path), `${path} exists`);
  }
  t.ok(pty.running);
  t.ok(pty.pid > 0);
  await pty.close();
  t.notOk(pty.running, 'socat has exited when close() resolves');
  await pty.close(); // idempotent
  t.pass('second close resolved');
});

t.test('pty pair: a missing socat is a clear open-failed', async (t) => {
  await t.rejects(openPtyPair({ socatPath: '/nonexistent/socat' }), {
    name: 'TransportError',
    code: 'open-failed',
    message: /socat not found — install socat/,
  });
});

t.test('pty pair: socat failing at start is reported with its own words', { skip }, async (t) => {
  await t.rejects(openPtyPair({ links: ['/nonexistent-dir/a', '/nonexistent-dir/b'] }), {
    code: 'open-failed',
    message: /socat exited .* before it was ready/,
  });
  await t.rejects(openPtyPair({ links: ['/tmp/a,b', '/tmp/c'] }), { code: 'open-failed', message: /may not contain/ });
});
