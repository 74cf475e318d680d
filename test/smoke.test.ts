import { spawnSync } from 'node:child_process';
import t from 'tap';

/**
 * The package's front door: the built CLI (what `npx shieldlink` and `npm start` run) starts,
 * lists its commands and exits 0; an unknown command is a usage error (exit 2). Needs
 * `npm run build` (CI runs it through `npm ci`'s prepare).
 */
t.test('the built shieldlink command starts, lists its commands, and rejects an unknown one', async (t) => {
  const help = spawnSync(process.execPath, ['dist/src/cli/main.js', '--help'], { encoding: 'utf8' });
  t.equal(help.status, 0, `--help exits 0 (${help.stderr.trim()})`);
  for (const command of ['run', 'replay', 'sim', 'conformance', 'config', 'report']) {
    t.match(help.stdout, new RegExp(`\\b${command}\\b`), `--help lists ${command}`);
  }
  const unknown = spawnSync(process.execPath, ['dist/src/cli/main.js', 'no-such-command'], { encoding: 'utf8' });
  t.equal(unknown.status, 2, 'an unknown command exits 2');
  t.match(unknown.stderr, /no-such-command/, 'and names it');
});
