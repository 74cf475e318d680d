/**
 * One cold verification, as `shieldlink verify` gives it, in a process of its own: reads the
 * ledger file as the CLI does (its bytes, not decoded), then times `verifyLedger` (integrity and
 * compliance under the default policy) in CPU seconds of this process (every thread: JIT and GC
 * helpers too) and prints `{"entries":N,"fires":F,"bytes":B,"readCpuS":R,"cpuS":S,"pass":…}`:
 * `cpuS` is verification alone (neither the process start nor the file read), `readCpuS` the
 * read (src/record/read-ledger-file.ts, as the CLI reads it). The ledger bench starts
 * it so the figure carries none of the bench process's own heap (its append runs' garbage).
 *
 * Usage: `node dist/bench/ledger-verify-once.js LEDGER PUB.json`.
 */
import { readFileSync } from 'node:fs';
import { NodePublicKey } from '../src/bridge/index.js';
import { readLedgerFile } from '../src/record/read-ledger-file.js';
import { DEFAULT_LEDGER_POLICY, verifyLedger } from '../src/ledger/index.js';
import { partMain } from './part-main.js';

await partMain(import.meta.url, async ({ argv }) => {
  const [ledgerFile, pubFile] = argv.slice(2);
  if (ledgerFile === undefined || pubFile === undefined) throw new Error('usage: ledger-verify-once LEDGER PUB.json');
  const key = NodePublicKey.fromJson(readFileSync(pubFile, 'utf8'), pubFile);
  const r0 = process.cpuUsage();
  const bytes = await readLedgerFile(ledgerFile);
  const readUsage = process.cpuUsage(r0);
  const readCpuS = (readUsage.user + readUsage.system) / 1e6;
  const u0 = process.cpuUsage();
  const verdict = verifyLedger(bytes, key, DEFAULT_LEDGER_POLICY);
  const u = process.cpuUsage(u0);
  const cpuS = (u.user + u.system) / 1e6;
  return Promise.resolve([
    JSON.stringify({
      entries: verdict.entries,
      fires: verdict.compliance.fires.length,
      bytes: bytes.length,
      readCpuS,
      cpuS,
      pass: verdict.pass,
    }),
  ]);
});
