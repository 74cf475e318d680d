import { type WriteStream, createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * The MQTT log of a run (`<name>.mqtt.jsonl` beside the run file, decision 0013): every message
 * the bridge handed to the broker, in order, with the one clock's time. JSON Lines: a header
 * line, then one `publish` line per message. It is a sidecar, not part of the run file: in
 * virtual time the live picture is paced by the wall clock, so this log is not byte-identical
 * run to run, while the run file must be.
 */
export const MQTT_LOG_FORMAT = 'shieldlink-mqtt/1';
/** Formats this build reads. */
export const READABLE_MQTT_LOG_FORMATS: readonly string[] = [MQTT_LOG_FORMAT];
/** Default bound of one log: past it, messages are counted as dropped. */
export const DEFAULT_MAX_MQTT_LOG_BYTES = 1024 * 1024 * 1024;

/** First line. */
export interface MqttLogHeader {
  readonly kind: 'mqtt-log';
  readonly format: string;
  readonly nodeId: string;
  readonly clockMode: 'virtual' | 'real';
  /** Wall time, µs since the Unix epoch, of clock time 0 (fixed 2026-01-01 in virtual time). */
  readonly epochUs: number;
}

/** One message as published. `payload` is the UTF-8 text, or base64 when `encoding` says so. */
export interface MqttLogEntry {
  readonly kind: 'publish';
  /** The one clock's time of the publish, µs (the run's `nowUs` scale). */
  readonly tUs: number;
  readonly topic: string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly payload: string;
  readonly encoding?: 'base64';
}

/** A log that cannot be read; one line. */
export class MqttLogError extends Error {
  readonly code = 'mqtt-log';
  constructor(message: string) {
    super(message);
    this.name = 'MqttLogError';
  }
}

/** The payload bytes of an entry. */
export function payloadBytesOf(entry: MqttLogEntry): Buffer {
  return entry.encoding === 'base64' ? Buffer.from(entry.payload, 'base64') : Buffer.from(entry.payload, 'utf8');
}

/** Appends an MQTT log; `record` is synchronous and cheap (buffered by the stream). */
export class MqttLogWriter {
  private readonly stream: WriteStream;
  private bytes = 0;
  private messages = 0;
  private dropped = 0;
  private writeError: Error | undefined;

  constructor(
    readonly path: string,
    header: Omit<MqttLogHeader, 'kind' | 'format'>,
    private readonly maxBytes = DEFAULT_MAX_MQTT_LOG_BYTES,
  ) {
    this.stream = createWriteStream(path, { flags: 'w' });
    this.stream.on('error', (error) => (this.writeError = error));
    const line: MqttLogHeader = { kind: 'mqtt-log', format: MQTT_LOG_FORMAT, ...header };
    this.put(JSON.stringify(line) + '\n');
  }

  record(tUs: number, message: { topic: string; payload: string | Buffer; qos: 0 | 1 | 2; retain: boolean }): void {
    const text = typeof message.payload === 'string' ? message.payload : undefined;
    const entry: MqttLogEntry = {
      kind: 'publish',
      tUs,
      topic: message.topic,
      qos: message.qos,
      retain: message.retain,
      ...(text !== undefined
        ? { payload: text }
        : { payload: (message.payload as Buffer).toString('base64'), encoding: 'base64' as const }),
    };
    const line = JSON.stringify(entry) + '\n';
    if (this.bytes + line.length > this.maxBytes) {
      this.dropped++;
      return;
    }
    this.messages++;
    this.put(line);
  }

  counters(): { messages: number; dropped: number } {
    return { messages: this.messages, dropped: this.dropped };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (this.writeError !== undefined) throw this.writeError;
  }

  private put(line: string): void {
    this.bytes += line.length;
    this.stream.write(line);
  }
}

/** An MQTT log read back. A cut last line (a crash) is ignored. */
export interface MqttLog {
  readonly header: MqttLogHeader;
  readonly entries: readonly MqttLogEntry[];
}

/** Read an MQTT log; MqttLogError for a file that is not one, of a newer format, or corrupt. */
export async function readMqttLog(file: string): Promise<MqttLog> {
  const lines: string[] = [];
  try {
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      lines.push(line);
    }
  } catch (error) {
    throw new MqttLogError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseMqttLog(lines, file);
}

/** Parse the lines of an MQTT log (see readMqttLog). */
export function parseMqttLog(lines: readonly string[], file: string): MqttLog {
  const records: unknown[] = [];
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      if (index === lines.length - 1) break;
      throw new MqttLogError(`${file}:${index + 1}: not a JSON record`);
    }
  }
  const header = records.shift() as MqttLogHeader | undefined;
  if (header?.kind !== 'mqtt-log') throw new MqttLogError(`${file} is not a ${MQTT_LOG_FORMAT} MQTT log`);
  if (!READABLE_MQTT_LOG_FORMATS.includes(header.format)) {
    throw new MqttLogError(`${file} is MQTT log format ${String(header.format)}; this build reads ${MQTT_LOG_FORMAT}`);
  }
  const entries: MqttLogEntry[] = [];
  for (const [index, record] of records.entries()) {
    const entry = record as MqttLogEntry;
    if (
      entry?.kind !== 'publish' ||
      typeof entry.topic !== 'string' ||
      typeof entry.payload !== 'string' ||
      typeof entry.tUs !== 'number' ||
      !Number.isFinite(entry.tUs)
    ) {
      throw new MqttLogError(`${file}: record ${index + 2} is not a publish entry`);
    }
    entries.push(entry);
  }
  return { header, entries };
}
