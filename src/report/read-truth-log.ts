import { readFile } from 'node:fs/promises';
import type { TruthRecord } from '../truth/truth-record.js';
import { ReportInputError } from './report-input-error.js';

/**
 * Read a simulator truth log (JSONL). A last line cut mid-record (simulator killed) is ignored;
 * a bad line anywhere else, or a record without `kind` and `tUs`, is a ReportInputError.
 */
export async function readTruthLog(file: string): Promise<TruthRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ReportInputError(
      `cannot read truth log ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const lines = text.split('\n');
  const records: TruthRecord[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      if (index === lines.length - 1) break;
      throw new ReportInputError(`${file}:${index + 1}: not a JSON record`);
    }
    const r = record as { kind?: unknown; tUs?: unknown };
    if (typeof r !== 'object' || r === null || typeof r.kind !== 'string' || typeof r.tUs !== 'number') {
      throw new ReportInputError(`${file}:${index + 1}: not a truth record (needs kind and tUs)`);
    }
    records.push(record as TruthRecord);
  }
  return records;
}
