/**
 * JSON Schemas (draft 2020-12) of the MCAP channels that are not MQTT topics (those use the
 * schemas of `shieldlink schema`). Foxglove reads `jsonschema` + `json` channels with no plug-in.
 */

const number = { type: 'number' } as const;
const string = { type: 'string' } as const;

/** `/shieldlink/run`: each line of the run file, as it is (docs/recording.md). */
export const RUN_RECORD_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'shieldlink run file record',
  description: 'One line of the run file (manifest, tick, idle, audit, threats or end), byte for byte.',
  type: 'object',
  properties: { kind: { enum: ['manifest', 'tick', 'idle', 'audit', 'threats', 'end'] } },
  required: ['kind'],
};

/** `/shieldlink/tick-metrics`: one message per busy tick and per idle entry of the run file. */
export const TICK_METRICS_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'shieldlink tick metrics',
  type: 'object',
  properties: {
    tick: number,
    nowUs: { ...number, description: 'Clock time the tick ran at, µs.' },
    latenessUs: { ...number, description: 'nowUs minus the tick deadline (first tick + n periods), µs.' },
    idleTicks: { ...number, description: 'Idle ticks this message stands for (0 for a busy tick).' },
    inputs: number,
    commands: number,
    events: number,
    rejectedInputs: number,
  },
  required: ['tick', 'nowUs', 'latenessUs', 'idleTicks', 'inputs', 'commands', 'events', 'rejectedInputs'],
};

/** `/shieldlink/launch-errors`: each launch, actual minus planned time. */
export const LAUNCH_ERROR_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'shieldlink launch error',
  type: 'object',
  properties: {
    fireCommandId: number,
    launcherId: string,
    trackId: number,
    plannedLaunchUs: { ...number, description: 'Host time the launch was planned for, µs.' },
    actualLaunchUs: { ...number, description: 'Host time of the launch as reported, µs.' },
    launchErrorUs: { ...number, description: 'actual minus planned, µs.' },
    result: string,
  },
  required: ['fireCommandId', 'launcherId', 'plannedLaunchUs', 'actualLaunchUs', 'launchErrorUs', 'result'],
};

/** `/shieldlink/frames/<link>`: one message per serial frame, both directions. */
export const FRAME_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'shieldlink serial frame',
  type: 'object',
  properties: {
    link: string,
    direction: { enum: ['host-to-device', 'device-to-host', 'unknown'] },
    wire: { ...string, description: 'The bytes on the wire, hex (COBS block and its closing 00).' },
    partial: { type: 'boolean' },
    ok: { type: 'boolean', description: 'Whether the host decoder accepts the frame.' },
    error: { type: ['string', 'null'], description: 'Why the decoder rejects it: category: detail.' },
    message: { type: ['object', 'null'], description: 'The decoded message (docs/protocol.md).' },
  },
  required: ['link', 'direction', 'wire', 'partial', 'ok', 'error', 'message'],
};

/** `/shieldlink/truth`: each line of the simulator's truth log. */
export const TRUTH_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'shieldlink simulator truth record',
  type: 'object',
  properties: { kind: string, tUs: { ...number, description: 'Simulator time since power-on, µs.' } },
  required: ['kind'],
};

/** An MQTT topic that is not in the bridge's topic tree. */
export const UNKNOWN_MQTT_PAYLOAD_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'MQTT payload',
  description: 'A payload on a topic outside the shieldlink topic tree.',
};
