import { constants } from 'node:fs';
import { access, open, readFile } from 'node:fs/promises';
import { exportJsonSchemas, payloadSpecForTopic } from '../bridge/index.js';
import { type ReadPacket, PcapngError, readPcapng } from '../capture/pcapng-reader.js';
import { decodeWireFrame } from '../protocol/index.js';
import {
  FRAME_SCHEMA,
  LAUNCH_ERROR_SCHEMA,
  RUN_RECORD_SCHEMA,
  TICK_METRICS_SCHEMA,
  TRUTH_SCHEMA,
  UNKNOWN_MQTT_PAYLOAD_SCHEMA,
} from './channel-schemas.js';
import { launchErrors, tickMetrics } from './derived-channels.js';
import { ExportInputError } from './export-input-error.js';
import { type MqttLog, MqttLogError, payloadBytesOf, readMqttLog } from './mqtt-log.js';
import { readRunLines, recordTimeUs } from './run-lines.js';
import { runSidecarPaths } from './run-sidecar-paths.js';

/** MCAP topic of the run file's lines. */
export const RUN_TOPIC = '/shieldlink/run';
export const TICK_METRICS_TOPIC = '/shieldlink/tick-metrics';
export const LAUNCH_ERRORS_TOPIC = '/shieldlink/launch-errors';
export const TRUTH_TOPIC = '/shieldlink/truth';
/** Prefix of the frame channels: `/shieldlink/frames/<link>`. */
export const FRAMES_TOPIC_PREFIX = '/shieldlink/frames/';
/** Name of the MCAP metadata record describing the run. */
export const RUN_METADATA_NAME = 'shieldlink';
/** Wall time of clock 0 in a virtual-time run (what `run` uses: 2026-01-01T00:00:00Z), µs. */
export const VIRTUAL_EPOCH_US = Date.UTC(2026, 0, 1) * 1000;

/**
 * The MCAP topic of an MQTT topic: the same with a leading `/` (the form message paths in
 * Foxglove and PlotJuggler expect); the MQTT topic itself is in the channel's `mqtt.topic`.
 */
export function mcapTopicOf(mqttTopic: string): string {
  return mqttTopic.startsWith('/') ? mqttTopic : `/${mqttTopic}`;
}

/** What to export: the run file and, when present, its sidecars. */
export interface McapExportInput {
  readonly runFile: string;
  /** Default: the sidecars beside the run file, each only if it exists. `null`: leave it out. */
  readonly mqttLogFile?: string | null;
  readonly captureFile?: string | null;
  readonly truthFile?: string | null;
  readonly summaryFile?: string | null;
  readonly outFile: string;
}

/** What went into the MCAP file: messages per topic. */
export interface McapExportResult {
  readonly messagesByTopic: Readonly<Record<string, number>>;
  readonly messages: number;
  readonly epochUs: number;
}

interface Pending {
  /** The channel: its MCAP topic, and for MQTT also its QoS and retain flag (see channelKey). */
  readonly topic: string;
  readonly tUs: number;
  readonly data: Uint8Array;
  readonly sequence: number;
}

async function exists(file: string): Promise<boolean> {
  return access(file, constants.R_OK).then(
    () => true,
    () => false,
  );
}

async function optional(given: string | null | undefined, fallback: string): Promise<string | undefined> {
  if (given === null) return undefined;
  if (given !== undefined) return given;
  return (await exists(fallback)) ? fallback : undefined;
}

const encoder = new TextEncoder();
const json = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

/**
 * Write a run as MCAP (decision 0013): the run file's lines on `/shieldlink/run` (byte for byte:
 * import gives the same file back), tick metrics and launch errors derived from it, one channel
 * per MQTT topic of the MQTT log with the topic's JSON Schema, one channel per serial link with
 * every frame of the capture (decoded, bad ones with their error), and the simulator's truth.
 * Every channel is `json` with a `jsonschema` schema, so Foxglove opens it with no plug-in. All
 * timestamps are wall time: clock time plus the run's epoch (2026-01-01 in virtual time).
 * Messages go in time order; the file is chunked and indexed. Throws ExportInputError for an
 * input that cannot be used.
 */
export async function exportRunToMcap(input: McapExportInput): Promise<McapExportResult> {
  const paths = runSidecarPaths(input.runFile);
  const run = await readRunLines(input.runFile);
  const mqttLogFile = await optional(input.mqttLogFile, paths.mqttLog);
  const captureFile = await optional(input.captureFile, paths.capture);
  const truthFile = await optional(input.truthFile, paths.truth);
  const summaryFile = await optional(input.summaryFile, paths.summary);

  let mqtt: MqttLog | undefined;
  if (mqttLogFile !== undefined) {
    try {
      mqtt = await readMqttLog(mqttLogFile);
    } catch (error) {
      if (error instanceof MqttLogError) throw new ExportInputError(error.message);
      throw error;
    }
  }
  const epochUs = mqtt?.header.epochUs ?? (run.manifest.clockMode === 'virtual' ? VIRTUAL_EPOCH_US : 0);

  const pending: Pending[] = [];
  let sequence = 0;
  const add = (topic: string, tUs: number, data: Uint8Array): void => {
    pending.push({ topic, tUs, data, sequence: sequence++ });
  };

  let lastUs = 0;
  for (const [index, record] of run.records.entries()) {
    lastUs = recordTimeUs(record, lastUs);
    add(RUN_TOPIC, lastUs, encoder.encode(run.lines[index]!));
  }
  for (const m of tickMetrics(run.manifest, run.records)) add(TICK_METRICS_TOPIC, m.tUs, json(m.value));
  for (const m of launchErrors(run.records)) add(LAUNCH_ERRORS_TOPIC, m.tUs, json(m.value));

  // One channel per MQTT topic, QoS and retain flag: a topic may carry both (the ledger feed
  // retains its header, not its entries), and import restores each message's flags from its channel.
  const mqttChannels = new Map<string, { topic: string; qos: number; retain: boolean }>();
  for (const entry of mqtt?.entries ?? []) {
    const key = mqttChannelKey(entry.topic, entry.qos, entry.retain);
    if (!mqttChannels.has(key)) mqttChannels.set(key, { topic: entry.topic, qos: entry.qos, retain: entry.retain });
    add(key, entry.tUs, payloadBytesOf(entry));
  }

  const links = new Set<string>();
  if (captureFile !== undefined) {
    let packets: ReadPacket[];
    try {
      packets = readPcapng(await readFile(captureFile), captureFile);
    } catch (error) {
      if (error instanceof PcapngError) throw new ExportInputError(error.message);
      throw new ExportInputError(
        `cannot read ${captureFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    for (const packet of packets) {
      links.add(packet.link);
      const decoded = packet.partial ? undefined : decodeWireFrame(packet.wire);
      add(FRAMES_TOPIC_PREFIX + packet.link, packet.timestampUs - epochUs, json(frameMessage(packet, decoded)));
    }
  }

  if (truthFile !== undefined) {
    const truthEpochHostUs = summaryFile === undefined ? 0 : await truthEpochOf(summaryFile);
    const text = await readFile(truthFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ExportInputError(`cannot read ${truthFile}: ${error.code ?? String(error)}`);
    });
    for (const line of text.split('\n')) {
      if (line === '') continue;
      let tUs = 0;
      try {
        const value = JSON.parse(line) as { tUs?: unknown };
        if (typeof value.tUs === 'number') tUs = value.tUs;
      } catch {
        continue; // a cut last line
      }
      add(TRUTH_TOPIC, truthEpochHostUs + tUs, encoder.encode(line));
    }
  }

  // Time order across channels (stable: same-time messages keep their order).
  pending.sort((a, b) => a.tUs - b.tUs || a.sequence - b.sequence);

  const handle = await open(input.outFile, 'w');
  let position = 0n;
  // @mcap/core loads only when an export runs, not with every command.
  const { McapWriter } = await import('@mcap/core');
  const writer = new McapWriter({
    writable: {
      write: async (buffer: Uint8Array) => {
        await handle.write(buffer);
        position += BigInt(buffer.byteLength);
      },
      position: () => position,
    },
  });
  const counts: Record<string, number> = {};
  try {
    await writer.start({ profile: '', library: 'shieldlink' });
    const schemaIds = new Map<string, number>();
    const schema = async (name: string, body: unknown): Promise<number> => {
      let id = schemaIds.get(name);
      if (id === undefined) {
        id = await writer.registerSchema({ name, encoding: 'jsonschema', data: json(body) });
        schemaIds.set(name, id);
      }
      return id;
    };
    const channelIds = new Map<string, number>();
    /** Channel key → MCAP topic (they differ only for MQTT channels). */
    const channelTopics = new Map<string, string>();
    const channel = async (
      topic: string,
      schemaId: number,
      metadata: Record<string, string>,
      key: string = topic,
    ): Promise<void> => {
      channelTopics.set(key, topic);
      channelIds.set(
        key,
        await writer.registerChannel({
          topic,
          schemaId,
          messageEncoding: 'json',
          metadata: new Map(Object.entries(metadata)),
        }),
      );
      counts[topic] ??= 0;
    };
    await channel(RUN_TOPIC, await schema('shieldlink.RunRecord', RUN_RECORD_SCHEMA), { format: run.manifest.format });
    await channel(TICK_METRICS_TOPIC, await schema('shieldlink.TickMetrics', TICK_METRICS_SCHEMA), {});
    await channel(LAUNCH_ERRORS_TOPIC, await schema('shieldlink.LaunchError', LAUNCH_ERROR_SCHEMA), {});
    const schemas = exportJsonSchemas();
    const nodeId = mqtt?.header.nodeId ?? '';
    for (const [key, { topic, qos, retain }] of mqttChannels) {
      const spec = payloadSpecForTopic(topic, nodeId);
      const schemaId =
        spec === undefined
          ? await schema('mqtt.payload', UNKNOWN_MQTT_PAYLOAD_SCHEMA)
          : await schema(`shieldlink.${spec.name}`, schemas[spec.name]);
      await channel(
        mcapTopicOf(topic),
        schemaId,
        { 'mqtt.topic': topic, 'mqtt.qos': String(qos), 'mqtt.retain': String(retain) },
        key,
      );
    }
    for (const link of links) {
      await channel(FRAMES_TOPIC_PREFIX + link, await schema('shieldlink.SerialFrame', FRAME_SCHEMA), { link });
    }
    if (truthFile !== undefined) await channel(TRUTH_TOPIC, await schema('shieldlink.TruthRecord', TRUTH_SCHEMA), {});

    for (const message of pending) {
      const timeNs = BigInt(Math.max(0, Math.round((epochUs + message.tUs) * 1000)));
      await writer.addMessage({
        channelId: channelIds.get(message.topic)!,
        sequence: message.sequence,
        logTime: timeNs,
        publishTime: timeNs,
        data: message.data,
      });
      counts[channelTopics.get(message.topic) ?? message.topic]!++;
    }
    await writer.addMetadata({
      name: RUN_METADATA_NAME,
      metadata: new Map([
        ['runFormat', run.manifest.format],
        ['scenario', run.manifest.scenario?.name ?? ''],
        ['seed', String(run.manifest.seed ?? '')],
        ['clockMode', run.manifest.clockMode],
        ['epochUs', String(epochUs)],
        ['nodeId', nodeId],
        ['mqttLogFormat', mqtt?.header.format ?? ''],
      ]),
    });
    await writer.end();
  } finally {
    await handle.close();
  }
  return { messagesByTopic: counts, messages: pending.length, epochUs };
}

function frameMessage(packet: ReadPacket, decoded: ReturnType<typeof decodeWireFrame> | undefined): unknown {
  const error =
    decoded === undefined
      ? (packet.comment ?? 'partial: no closing 0x00')
      : decoded.ok
        ? null
        : `${decoded.error}: ${decoded.detail}`;
  return {
    link: packet.link,
    direction: packet.direction,
    wire: Buffer.from(packet.wire).toString('hex'),
    partial: packet.partial,
    ok: decoded?.ok === true,
    error,
    message: decoded?.ok === true ? decoded.message : null,
  };
}

async function truthEpochOf(summaryFile: string): Promise<number> {
  try {
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as { truthEpochHostUs?: unknown };
    return typeof summary.truthEpochHostUs === 'number' ? summary.truthEpochHostUs : 0;
  } catch {
    return 0;
  }
}

/** The channel of an MQTT message: its MCAP topic, QoS and retain flag. */
function mqttChannelKey(topic: string, qos: number, retain: boolean): string {
  return `${mcapTopicOf(topic)}\u0000${qos}${retain ? 'r' : ''}`;
}
