import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PublishTap } from '../bridge/index.js';
import { type CapturedLink, type LinkCapture, captureLinks } from '../capture/link-capture.js';
import { MqttLogWriter } from '../export/mqtt-log.js';
import type { Clock } from '../time/clock.js';

/** What a run writes beside its run file besides truth and summary (decision 0013). */
export interface RunSidecars {
  /** Hand to the bridge: records every published message (undefined: no MQTT log). */
  readonly onPublish: PublishTap | undefined;
  /** Close both files (after the bridge and the devices stopped). */
  close(): Promise<void>;
}

/**
 * Open the frame capture (pcapng, every link both ways) and the MQTT log of a run, when asked.
 * Both stamp with the one clock: the MQTT log in the run's `nowUs`, the capture in wall µs
 * (`wallClock` at the start minus `nowUs`, plus `nowUs`), the fixed 2026-01-01 epoch in
 * virtual time, so the two line up with the run file tick for tick.
 */
export async function openRunSidecars(options: {
  readonly clock: Clock;
  readonly wallClock: () => number;
  readonly nodeId: string;
  readonly links: () => CapturedLink[];
  readonly captureFile?: string;
  readonly mqttLogFile?: string;
}): Promise<RunSidecars> {
  const { clock } = options;
  const epochUs = Math.round(options.wallClock() * 1000 - clock.nowUs());
  let capture: LinkCapture | undefined;
  if (options.captureFile !== undefined) {
    await mkdir(dirname(options.captureFile), { recursive: true });
    capture = captureLinks(options.captureFile, options.links(), () => epochUs + clock.nowUs());
  }
  let mqtt: MqttLogWriter | undefined;
  if (options.mqttLogFile !== undefined) {
    await mkdir(dirname(options.mqttLogFile), { recursive: true });
    mqtt = new MqttLogWriter(options.mqttLogFile, { nodeId: options.nodeId, clockMode: clock.kind, epochUs });
  }
  const log = mqtt;
  return {
    onPublish: log === undefined ? undefined : (message) => log.record(clock.nowUs(), message),
    async close() {
      await capture?.close();
      await mqtt?.close();
    },
  };
}
