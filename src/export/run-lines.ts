import { readFile } from 'node:fs/promises';
import { READABLE_RUN_FILE_FORMATS, type RunManifest, type RunRecord } from '../record/run-file-format.js';
import { ExportInputError } from './export-input-error.js';

/** A run file as its lines (verbatim, for a byte-exact copy) and as records. */
export interface RunLines {
  readonly manifest: RunManifest;
  readonly lines: readonly string[];
  readonly records: readonly RunRecord[];
}

/** Largest run file read whole (export and replay hold it in memory). */
export const MAX_RUN_FILE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/**
 * Read a run file line by line. ExportInputError when it cannot be read, is not a run file, is of
 * a format this build does not read (a newer one), or has a bad line before its last (a cut last
 * line, left by a crash, is dropped as the run reader does).
 */
export async function readRunLines(file: string): Promise<RunLines> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ExportInputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const raw = text.split('\n');
  if (raw.at(-1) === '') raw.pop();
  const lines: string[] = [];
  const records: RunRecord[] = [];
  for (const [index, line] of raw.entries()) {
    let record: RunRecord;
    try {
      record = JSON.parse(line) as RunRecord;
    } catch {
      if (index === raw.length - 1 && index > 0) break;
      throw new ExportInputError(`${file}:${index + 1}: not a JSON record`);
    }
    if (typeof record !== 'object' || record === null || typeof record.kind !== 'string') {
      throw new ExportInputError(`${file}:${index + 1}: not a run file record`);
    }
    lines.push(line);
    records.push(record);
  }
  const manifest = records[0];
  if (manifest?.kind !== 'manifest') throw new ExportInputError(`${file} is not a shieldlink run file`);
  if (!READABLE_RUN_FILE_FORMATS.includes(manifest.format)) {
    throw new ExportInputError(
      `${file} is run file format ${String(manifest.format)}; this build reads ${READABLE_RUN_FILE_FORMATS.join(', ')}`,
    );
  }
  return { manifest, lines, records };
}

/** The clock time a run record stands at (manifest 0; idle: its first tick; end: `lastUs`). */
export function recordTimeUs(record: RunRecord, lastUs: number): number {
  switch (record.kind) {
    case 'tick':
    case 'audit':
    case 'threats':
      return record.nowUs;
    case 'idle': {
      const first = record.ticks[0];
      return first === undefined ? lastUs : first[1];
    }
    default:
      return lastUs;
  }
}
