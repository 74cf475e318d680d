import { readFileSync } from 'node:fs';

/**
 * The wire format as docs/protocol.md states it, read from its tables at test time — the
 * independent oracle's only source. Nothing here (or in oracle-decoder.ts) imports src/: a
 * layout bug in the catalogue, the codec or the ICD renderer shows up as a disagreement
 * between this reading of the document and the code.
 */

export interface IcdField {
  readonly offset: number;
  readonly size: number;
  /** `u8`, `u16`, `u32`, `u64`, `i8`..`i32`, `f32`, `f64` or `enum`. */
  readonly type: string;
  readonly name: string;
  /** Enum codes → names, for `enum` fields. */
  readonly codes?: ReadonlyMap<number, string>;
}

export interface IcdMessage {
  readonly code: number;
  readonly name: string;
  readonly direction: 'host → device' | 'device → host' | 'both ways';
  readonly acknowledged: boolean;
  readonly payloadBytes: number;
  readonly frameBytes: number;
  readonly fields: readonly IcdField[];
}

export interface IcdTables {
  readonly version: number;
  readonly crcPolynomial: number;
  readonly crcInitial: number;
  readonly crcCheck: number;
  readonly reservedFlagsMask: number;
  readonly minBodyBytes: number;
  readonly maxBodyBytes: number;
  readonly maxBlockBytes: number;
  readonly messages: ReadonlyMap<number, IcdMessage>;
}

/** Rows of the markdown table that starts right after the line matching `header`. */
function tableAfter(lines: readonly string[], from: number): string[][] {
  let i = from;
  while (i < lines.length && !lines[i]!.startsWith('|')) i++;
  const rows: string[][] = [];
  for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    rows.push(
      lines[i]!.slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

function indexOf(lines: readonly string[], pattern: RegExp, from = 0): number {
  for (let i = from; i < lines.length; i++) if (pattern.test(lines[i]!)) return i;
  throw new Error(`docs/protocol.md: no line matches ${pattern}`);
}

function num(text: string): number {
  const value = Number(text.replace(/\*/g, ''));
  if (!Number.isFinite(value)) throw new Error(`docs/protocol.md: not a number: ${text}`);
  return value;
}

function codesOf(line: string): Map<number, string> {
  const codes = new Map<number, string>();
  for (const match of line.matchAll(/(\d+) = `([^`]+)`/g)) codes.set(Number(match[1]), match[2]!);
  return codes;
}

export function readIcdTables(path = new URL('../../docs/protocol.md', import.meta.url)): IcdTables {
  const lines = readFileSync(path, 'utf8').split('\n');
  const crcRows = tableAfter(lines, indexOf(lines, /^### 3\.2 CRC-16/));
  const crcValue = (parameter: string): number =>
    num(crcRows.find((r) => r[0]!.startsWith(parameter))![1]!.split(' ')[0]!);
  const flagRows = tableAfter(lines, indexOf(lines, /^- \*\*flags\*\*/));
  const headerRows = tableAfter(lines, indexOf(lines, /^## 3\. Frame format/));
  const version = num(/Protocol version, (\d+)/.exec(headerRows.find((r) => r[0] === 'version')![3]!)![1]!);
  const limits = lines.join('\n');
  const minBody = num(/A body is at least (\d+) bytes/.exec(limits)![1]!);
  const maxBody = num(/at most (\d+) bytes \(ICD-FRM-004\)/.exec(limits)![1]!);
  const maxBlock = num(/Block length at most (\d+) bytes/.exec(limits)![1]!);

  const messages = new Map<number, IcdMessage>();
  const catalogueRows = tableAfter(lines, indexOf(lines, /^## Message catalogue/));
  for (const row of catalogueRows) {
    const code = num(row[0]!);
    const name = /\[([A-Z_]+)\]/.exec(row[1]!)![1]!;
    const section = indexOf(lines, new RegExp(`^### 0x${row[0]!.slice(2)} ${name}$`));
    const next = indexOf(lines, /^##/, section + 1);
    const fieldTableAt = indexOf(lines, /^\| offset \| size \| type \| field/, section);
    const fields: IcdField[] = [];
    if (fieldTableAt < next) {
      for (const cells of tableAfter(lines, fieldTableAt)) {
        const fieldName = cells[3]!.replace(/`/g, '');
        const type = cells[2]!.startsWith('enum') ? 'enum' : cells[2]!;
        const codeLine = lines.slice(section, next).find((l) => l.startsWith(`\`${fieldName}\` codes:`));
        fields.push({
          offset: num(cells[0]!),
          size: num(cells[1]!),
          type,
          name: fieldName,
          ...(type === 'enum' ? { codes: codesOf(codeLine ?? '') } : {}),
        });
      }
    }
    messages.set(code, {
      code,
      name,
      direction: row[3] as IcdMessage['direction'],
      acknowledged: row[4] === 'yes',
      payloadBytes: num(row[5]!),
      frameBytes: num(row[6]!),
      fields,
    });
  }
  return {
    version,
    crcPolynomial: crcValue('polynomial'),
    crcInitial: crcValue('initial value'),
    crcCheck: num(/\*\*(0x[0-9A-Fa-f]+)\*\*/.exec(crcRows.find((r) => r[0]!.startsWith('check value'))![1]!)![1]!),
    reservedFlagsMask: num(flagRows.find((r) => r[2] === 'reserved')![1]!),
    minBodyBytes: minBody,
    maxBodyBytes: maxBody,
    maxBlockBytes: maxBlock,
    messages,
  };
}
