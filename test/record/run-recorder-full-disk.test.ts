import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { RUN_FILE_FORMAT } from '../../src/record/run-file-format.js';
import { readRunFile } from '../../src/record/run-reader.js';
import { RunFileWriteError, RunRecorder } from '../../src/record/run-recorder.js';

t.test(
  'a write error mid-run (ENOSPC) is reported, memory stays bounded, what was written stays readable',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-enospc-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'x.run');
    const recorder = RunRecorder.create(file, {
      kind: 'manifest',
      format: RUN_FILE_FORMAT,
      softwareVersion: 'test',
      configHash: 'c',
      scenario: null,
      seed: null,
      clockMode: 'virtual',
      tickPeriodUs: 1000,
      coreConfig: {},
    });
    const payload = 'x'.repeat(1000);
    // About 200 kB: three 64 KiB blocks reach the file before the disk "fills".
    for (let tick = 1; tick <= 200; tick++) recorder.recordTick(tick, tick * 1000, [payload], [], []);
    const stream = (recorder as unknown as { stream: NodeJS.EventEmitter & { writableLength: number } }).stream;
    // Let the blocks reach the file before the disk "fills".
    for (let i = 0; i < 200 && (stream.writableLength > 0 || statSync(file).size === 0); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const failure = recorder.failure;
    // The disk fills: the file stream reports ENOSPC (what fs.write gives on a full disk).
    stream.emit('error', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    const error = await failure;
    t.type(error, RunFileWriteError);
    t.match(error.message, /x\.run: ENOSPC \(disk full\); the run was ended/);
    // Records after the failure are dropped, not buffered.
    for (let tick = 201; tick <= 2000; tick++) recorder.recordTick(tick, tick * 1000, [payload], [], []);
    const pending = (recorder as unknown as { pendingBytes: number }).pendingBytes;
    t.ok(pending < 70 * 1024, `pending after the failure: ${pending} bytes`);
    await t.rejects(recorder.close({}), RunFileWriteError, 'close reports it');
    const run = await readRunFile(file);
    t.equal(run.complete, false, 'no end record');
    t.ok(run.records.length > 0, `${run.records.length} records readable`);
  },
);
