import t from 'tap';
import { siblingModuleUrl } from '../../../src/control/realtime/spawn-worker.js';

t.test('siblingModuleUrl names the .ts source from sources and the .js from the build', async (t) => {
  t.equal(siblingModuleUrl('./x.js', 'file:///a/src/y.ts').href, 'file:///a/src/x.ts');
  t.equal(siblingModuleUrl('../b/x.js', 'file:///a/src/y.ts').href, 'file:///a/b/x.ts');
  t.equal(siblingModuleUrl('./x.js', 'file:///a/dist/src/y.js').href, 'file:///a/dist/src/x.js');
  t.equal(siblingModuleUrl('./x.js', import.meta.url).pathname.endsWith('/x.ts'), true, 'this test runs from source');
});
