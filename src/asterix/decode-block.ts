/**
 * Data blocks and records (ASTERIX Part 1 §5): a datagram holds data blocks `CAT LEN(2) records…`;
 * a record is an FSPEC then its items in FRN order. A block of an unknown category is skipped by
 * its LEN; a malformed block is reported and dropped, and the next block is read — only when the
 * block length itself is unusable is the rest of the datagram lost.
 */
import type { AsterixBlockError, AsterixRecord, AsterixValue } from './asterix-record.js';
import { CATEGORIES } from './categories/index.js';
import { AsterixFormatError, type Cursor, readItem } from './decode-item.js';
import { type RecordDecoder, compileRecordDecoder } from './compile-decoder.js';
import type { CategorySpec } from './item-spec.js';

/** Read one record at the cursor (`cursor.pos` moves past it); throws AsterixFormatError. */
export function decodeRecord(spec: CategorySpec, bytes: Uint8Array, cursor: Cursor): AsterixRecord {
  const fspecStart = cursor.pos;
  do {
    if (cursor.pos >= cursor.end)
      throw new AsterixFormatError('record-overrun', `FSPEC runs past the block end at ${cursor.end}`);
    cursor.pos++;
  } while ((bytes[cursor.pos - 1]! & 1) !== 0);
  const fspecEnd = cursor.pos;
  const items = new Map<string, AsterixValue>();
  let any = false;
  for (let octet = fspecStart; octet < fspecEnd; octet++) {
    const bitsSet = bytes[octet]! & 0xfe;
    if (bitsSet === 0) continue;
    for (let bit = 0; bit < 7; bit++) {
      if (((bitsSet >>> (7 - bit)) & 1) === 0) continue;
      const frn = (octet - fspecStart) * 7 + bit + 1;
      const item = spec.uap[frn - 1];
      if (!item) throw new AsterixFormatError('undefined-item', `CAT${spec.category} FRN ${frn} is not in the UAP`);
      items.set(
        item.id,
        readItem(bytes, cursor, item.structure, `I${String(spec.category).padStart(3, '0')}/${item.id}`),
      );
      any = true;
    }
  }
  if (!any) throw new AsterixFormatError('malformed-item', 'record with an empty FSPEC');
  return { category: spec.category, items };
}

/** Counters of one decoder (cumulative across datagrams). */
export interface AsterixDecodeCounters {
  blocks: number;
  records: number;
  /** blocks of a category shieldlink has no table for, skipped by LEN */
  unknownCategoryBlocks: number;
  /** blocks dropped as malformed (each also reported through `onError`) */
  malformedBlocks: number;
}

/** Where decoded records and errors go; both are called synchronously, in order. */
export interface AsterixSink {
  record(record: AsterixRecord): void;
  error?(error: AsterixBlockError): void;
}

/**
 * A stream decoder: feed it datagrams (or the contents of a raw block file). It never throws on
 * any input; a malformed block's records are all dropped (a block is one unit: an error in its
 * middle means the rest cannot be trusted either) and counted.
 */
export class AsterixDecoder {
  readonly counters: AsterixDecodeCounters = { blocks: 0, records: 0, unknownCategoryBlocks: 0, malformedBlocks: 0 };
  private readonly decoders: (RecordDecoder | undefined)[] = new Array(256);
  private readonly pending: AsterixRecord[] = [];

  constructor(categories: ReadonlyMap<number, CategorySpec> = CATEGORIES) {
    for (const [category, spec] of categories) this.decoders[category] = compiledDecoder(spec);
  }

  /** Decode every block of `bytes` (one UDP payload, or concatenated blocks). */
  decode(bytes: Uint8Array, sink: AsterixSink): void {
    let offset = 0;
    const pending = this.pending;
    while (offset < bytes.length) {
      if (bytes.length - offset < 3) {
        this.fail(sink, {
          kind: 'bad-block-length',
          category: bytes[offset]!,
          offset,
          detail: `${bytes.length - offset} octets left, a block header needs 3`,
        });
        return;
      }
      const category = bytes[offset]!;
      const length = (bytes[offset + 1]! << 8) | bytes[offset + 2]!;
      if (length < 3) {
        this.fail(sink, { kind: 'bad-block-length', category, offset, detail: `LEN ${length} < 3` });
        return;
      }
      if (offset + length > bytes.length) {
        this.fail(sink, {
          kind: 'truncated-block',
          category,
          offset,
          detail: `LEN ${length} runs past the datagram end (${bytes.length - offset} octets left)`,
        });
        return;
      }
      this.counters.blocks++;
      const decodeOne = this.decoders[category];
      if (!decodeOne) {
        this.counters.unknownCategoryBlocks++;
      } else {
        const cursor: Cursor = { pos: offset + 3, end: offset + length };
        pending.length = 0;
        try {
          while (cursor.pos < cursor.end) pending.push(decodeOne(bytes, cursor));
          for (let k = 0; k < pending.length; k++) {
            this.counters.records++;
            sink.record(pending[k]!);
          }
        } catch (error) {
          if (!(error instanceof AsterixFormatError)) throw error;
          this.fail(sink, { kind: error.kind, category, offset, detail: error.message });
        }
      }
      offset += length;
    }
  }

  /** Decode and collect: convenience for tools and tests. */
  decodeAll(bytes: Uint8Array): { records: AsterixRecord[]; errors: AsterixBlockError[] } {
    const records: AsterixRecord[] = [];
    const errors: AsterixBlockError[] = [];
    this.decode(bytes, { record: (record) => records.push(record), error: (error) => errors.push(error) });
    return { records, errors };
  }

  private fail(sink: AsterixSink, error: AsterixBlockError): void {
    this.counters.malformedBlocks++;
    sink.error?.(error);
  }
}

const COMPILED = new WeakMap<CategorySpec, RecordDecoder>();

/** One compiled decoder per table, shared by every AsterixDecoder. */
function compiledDecoder(spec: CategorySpec): RecordDecoder {
  let decoder = COMPILED.get(spec);
  if (!decoder) {
    decoder = compileRecordDecoder(spec);
    COMPILED.set(spec, decoder);
  }
  return decoder;
}
