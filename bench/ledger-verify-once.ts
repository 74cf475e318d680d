/**
 * One cold verification, as `shieldlink verify` gives it, in a process of its own: reads the
 * ledger file as the CLI does (UTF-8 text), then times `verifyLedger` (integrity and compliance
 * under the default policy) in CPU seconds of this process and prints
 * `{"entries":N,"cpuS":S,"pass":true|false}`. The file read is not timed. The ledger bench starts
 * it so the figure carries none of the bench process's own heap (its append runs' garbage).
 *
 * Usage: `node dist/bench/ledger-verify-once.js LEDGER PUB.json`.
 */
import { readFileSync } from 'node:fs';
import { NodePublicKey } from '../src/bridge/index.js';
import { DEFAULT_LEDGER_POLICY, verifyLedger } from '../src/ledger/index.js';
import { partMain } from './part-main.js';

await partMain(import.meta.url, ({ argv }) => {
  const [ledgerFile, pubFile] = argv.slice(2);
  if (ledgerFile === undefined || pubFile === undefined) throw new Error('usage: ledger-verify-once LEDGER PUB.json');
  const key = NodePublicKey.fromJson(readFileSync(pubFile, 'utf8'), pubFile);
  const text = readFileSync(ledgerFile, 'utf8');
  const u0 = process.cpuUsage();
  const verdict = verifyLedger(text, key, DEFAULT_LEDGER_POLICY);
  const u = process.cpuUsage(u0);
  const cpuS = (u.user + u.system) / 1e6;
  return Promise.resolve([
    JSON.stringify({ entries: verdict.entries, fires: verdict.compliance.fires.length, cpuS, pass: verdict.pass }),
  ]);
});
