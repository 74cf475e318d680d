import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  type IdleRecord,
  READABLE_RUN_FILE_FORMATS,
  RUN_FILE_FORMAT,
  type RunManifest,
  type RunRecord,
} from './run-file-format.js';

/** A run file that cannot be read: not found, not a run file, or a corrupt line. */
export class RunFileError extends Error {
  readonly code = 'run-file';
  constructor(message: string) {
    super(message);
    this.name = 'RunFileError';
  }
}

/** What was read: the manifest, every complete record after it, and whether the end was reached. */
export interface RunFileContents {
  readonly manifest: RunManifest;
  readonly records: readonly RunRecord[];
  /** False when the file stops before its `end` record (host killed mid-run). */
  readonly complete: boolean;
  /** True when the last line was cut mid-record and ignored. */
  readonly truncatedTail: boolean;
}

/**
 * Read a run file back. A last line that is not valid JSON (cut by a crash) is ignored and
 * reported as `truncatedTail`; a bad line anywhere else is a RunFileError.
 */
export async function readRunFile(file: string): Promise<RunFileContents> {
  const lines: string[] = [];
  try {
    const input = createReadStream(file, { encoding: 'utf8' });
    for await (const line of createInterface({ input, crlfDelay: Infinity })) lines.push(line);
  } catch (error) {
    throw new RunFileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const records: RunRecord[] = [];
  let truncatedTail = false;
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    let record: RunRecord;
    try {
      record = JSON.parse(line) as RunRecord;
    } catch {
      if (index === lines.length - 1) {
        truncatedTail = true;
        break;
      }
      throw new RunFileError(`${file}:${index + 1}: not a JSON record`);
    }
    if (record?.kind === 'idle' && !wellFormedIdle(record)) {
      throw new RunFileError(`${file}:${index + 1}: malformed idle record`);
    }
    records.push(record);
  }
  const manifest = records.shift();
  if (manifest?.kind !== 'manifest' || !READABLE_RUN_FILE_FORMATS.includes(manifest.format)) {
    throw new RunFileError(`${file} is not a ${RUN_FILE_FORMAT} run file`);
  }
  return { manifest, records, complete: records.at(-1)?.kind === 'end', truncatedTail };
}

/** Idle entries are [tick, nowUs] or [tick, nowUs, count >= 1, stepUs], all finite numbers. */
function wellFormedIdle(record: IdleRecord): boolean {
  if (!Array.isArray(record.ticks)) return false;
  for (const entry of record.ticks as readonly unknown[]) {
    if (!Array.isArray(entry) || (entry.length !== 2 && entry.length !== 4)) return false;
    if (!entry.every((n) => typeof n === 'number' && Number.isFinite(n))) return false;
    if (entry.length === 4 && !(Number.isSafeInteger(entry[2]) && (entry[2] as number) >= 1)) return false;
  }
  return true;
}
