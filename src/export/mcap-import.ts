import { mkdir, open, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { McapStreamReader, McapTypes } from '@mcap/core';
import { type CaptureDirection } from '../capture/capture-record.js';
import { PcapngWriter } from '../capture/pcapng-writer.js';
import { ExportInputError } from './export-input-error.js';
import { FRAMES_TOPIC_PREFIX, RUN_METADATA_NAME, RUN_TOPIC, TRUTH_TOPIC } from './mcap-export.js';
import { MQTT_LOG_FORMAT, type MqttLogEntry, type MqttLogHeader } from './mqtt-log.js';
import { runSidecarPaths } from './run-sidecar-paths.js';

/** What import wrote. */
export interface McapImportResult {
  readonly runFile: string;
  readonly runLines: number;
  /** Sidecars written (only those the MCAP file had channels for). */
  readonly mqttLogFile: string | null;
  readonly captureFile: string | null;
  readonly truthFile: string | null;
}

/** Bytes read from the file per step. */
const READ_BYTES = 4 * 1024 * 1024;

interface Received {
  readonly sequence: number;
  readonly logTime: bigint;
  readonly data: Uint8Array;
}

/**
 * Convert an MCAP file written by `shieldlink export` back into a run file (its `/shieldlink/run`
 * lines, byte for byte: the outputs replay to the same digest) and, for the channels present,
 * the MQTT log, the frame capture and the truth log beside it. Every chunk CRC is checked.
 * ExportInputError for a file that is not MCAP, is truncated, fails a CRC, or has no run channel.
 */
export async function importMcap(mcapFile: string, runFile: string): Promise<McapImportResult> {
  // @mcap/core loads only when an import runs, not with every command.
  const mcap = await import('@mcap/core');
  const reader = new mcap.McapStreamReader({ validateCrcs: true });
  const channels = new Map<number, McapTypes.TypedMcapRecords['Channel']>();
  const byChannel = new Map<number, Received[]>();
  let metadata: ReadonlyMap<string, string> | undefined;
  let handle;
  try {
    handle = await open(mcapFile, 'r');
  } catch (error) {
    throw new ExportInputError(`cannot read ${mcapFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const buffer = Buffer.alloc(READ_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      reader.append(buffer.subarray(0, bytesRead));
      for (let record; (record = nextRecord(reader, mcapFile));) {
        if (record.type === 'Channel') channels.set(record.id, record);
        else if (record.type === 'Message') {
          let list = byChannel.get(record.channelId);
          if (list === undefined) byChannel.set(record.channelId, (list = []));
          list.push({ sequence: record.sequence, logTime: record.logTime, data: record.data.slice() });
        } else if (record.type === 'Metadata' && record.name === RUN_METADATA_NAME) metadata = record.metadata;
      }
    }
  } finally {
    await handle.close();
  }
  if (!reader.done()) {
    throw new ExportInputError(`${mcapFile} is truncated: the MCAP file ends before its footer`);
  }
  const topicOf = (id: number): string => channels.get(id)?.topic ?? '';
  const messagesOf = (predicate: (topic: string) => boolean): { topic: string; messages: Received[] }[] =>
    [...byChannel].filter(([id]) => predicate(topicOf(id))).map(([id, messages]) => ({ topic: topicOf(id), messages }));

  const run = messagesOf((topic) => topic === RUN_TOPIC)[0];
  if (run === undefined || run.messages.length === 0) {
    throw new ExportInputError(`${mcapFile} has no ${RUN_TOPIC} channel: not exported from a shieldlink run`);
  }
  const decoder = new TextDecoder();
  const lines = [...run.messages].sort((a, b) => a.sequence - b.sequence).map((m) => decoder.decode(m.data));
  await mkdir(dirname(runFile), { recursive: true });
  await writeFile(runFile, lines.join('\n') + '\n');

  const paths = runSidecarPaths(runFile);
  const epochUs = Number(metadata?.get('epochUs') ?? '0');
  const clockMode = metadata?.get('clockMode') === 'real' ? 'real' : 'virtual';
  const usOf = (logTime: bigint): number => Number(logTime) / 1000 - epochUs;

  let mqttLogFile: string | null = null;
  const mqttChannels = [...channels.values()].filter((c) => c.metadata.has('mqtt.topic'));
  if (mqttChannels.length > 0) {
    const entries: { sequence: number; entry: MqttLogEntry }[] = [];
    for (const channel of mqttChannels) {
      const qos = Number(channel.metadata.get('mqtt.qos') ?? '0') as 0 | 1 | 2;
      const retain = channel.metadata.get('mqtt.retain') === 'true';
      for (const m of byChannel.get(channel.id) ?? []) {
        const text = decoder.decode(m.data);
        const exact = Buffer.from(text, 'utf8').equals(Buffer.from(m.data));
        entries.push({
          sequence: m.sequence,
          entry: {
            kind: 'publish',
            tUs: usOf(m.logTime),
            topic: channel.metadata.get('mqtt.topic')!,
            qos,
            retain,
            ...(exact
              ? { payload: text }
              : { payload: Buffer.from(m.data).toString('base64'), encoding: 'base64' as const }),
          },
        });
      }
    }
    entries.sort((a, b) => a.sequence - b.sequence);
    const header: MqttLogHeader = {
      kind: 'mqtt-log',
      format: MQTT_LOG_FORMAT,
      nodeId: metadata?.get('nodeId') ?? '',
      clockMode,
      epochUs,
    };
    await writeFile(
      paths.mqttLog,
      [header, ...entries.map((e) => e.entry)].map((r) => JSON.stringify(r) + '\n').join(''),
    );
    mqttLogFile = paths.mqttLog;
  }

  let captureFile: string | null = null;
  const frames = messagesOf((topic) => topic.startsWith(FRAMES_TOPIC_PREFIX))
    .flatMap(({ messages }) => messages)
    .sort((a, b) => a.sequence - b.sequence);
  if (frames.length > 0) {
    const writer = new PcapngWriter();
    const blocks = [writer.header()];
    for (const m of frames) {
      const frame = JSON.parse(decoder.decode(m.data)) as {
        link: string;
        direction: CaptureDirection;
        wire: string;
        partial: boolean;
        error: string | null;
      };
      blocks.push(
        writer.frame({
          link: frame.link,
          direction: frame.direction,
          wire: Buffer.from(frame.wire, 'hex'),
          partial: frame.partial,
          timestampUs: Number(m.logTime) / 1000,
          ...(frame.error === null ? {} : { comment: frame.error }),
        }),
      );
    }
    await writeFile(paths.capture, Buffer.concat(blocks));
    captureFile = paths.capture;
  }

  let truthFile: string | null = null;
  const truth = messagesOf((topic) => topic === TRUTH_TOPIC)[0];
  if (truth !== undefined) {
    const truthLines = [...truth.messages].sort((a, b) => a.sequence - b.sequence).map((m) => decoder.decode(m.data));
    await writeFile(paths.truth, truthLines.join('\n') + '\n');
    truthFile = paths.truth;
  }
  return { runFile, runLines: lines.length, mqttLogFile, captureFile, truthFile };
}

/** The reader's next record; a parse or CRC failure is an ExportInputError naming the file. */
function nextRecord(reader: McapStreamReader, file: string): McapTypes.TypedMcapRecord | undefined {
  try {
    return reader.nextRecord();
  } catch (error) {
    throw new ExportInputError(
      `${file} is not a valid MCAP file: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
