import { ExportInputError } from '../../export/export-input-error.js';
import { MqttLogError, readMqttLog } from '../../export/mqtt-log.js';
import { REPLAY_USER_PROPERTY, type ReplayWindow, planReplay } from '../../export/replay-plan.js';
import { readRunLines } from '../../export/run-lines.js';
import { runSidecarPaths } from '../../export/run-sidecar-paths.js';
import { RealClock } from '../../time/real-clock.js';
import { type CommandIo, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE } from '../command.js';

/** Publishes not yet acknowledged, at most (the oldest is awaited before another goes out). */
const MAX_IN_FLIGHT = 1000;

/** Options of `replay RUNFILE --publish`. */
export interface ReplayPublishOptions extends ReplayWindow {
  readonly runFile: string;
  readonly broker: string;
  /** The MQTT log to republish (default: the one beside the run file). */
  readonly mqttLogFile?: string;
  readonly json: boolean;
}

/**
 * Republish a run's recorded MQTT traffic onto a broker in its recorded order, at `rate` × its
 * recorded pace (timed on the real clock from the first message of the window), each message
 * marked as replayed (MQTT 5 user property `replay=true`, `replay: true` in the status, quality
 * `replayed`). Exit 2 for an input that cannot be used, 3 when the broker cannot be reached.
 */
export async function replayPublish(options: ReplayPublishOptions, io: CommandIo): Promise<number> {
  let plan;
  try {
    await readRunLines(options.runFile); // the run file must be readable by this build
    const log = await readMqttLog(options.mqttLogFile ?? runSidecarPaths(options.runFile).mqttLog);
    plan = planReplay(log.entries, options);
  } catch (error) {
    if (error instanceof ExportInputError || error instanceof MqttLogError) {
      io.stderr.write(`shieldlink replay: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  let client;
  try {
    client = await (
      await import('mqtt')
    ).connectAsync(options.broker, {
      protocolVersion: 5,
      clientId: `shieldlink-replay-${process.pid}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
  } catch (error) {
    io.stderr.write(`shieldlink replay: cannot connect to ${options.broker}: ${(error as Error).message}\n`);
    return EXIT_RUNTIME;
  }
  const clock = new RealClock();
  const startUs = clock.nowUs();
  const inFlight: Promise<unknown>[] = [];
  let published = 0;
  try {
    for (const message of plan) {
      const dueUs = startUs + message.atUs;
      if (clock.nowUs() < dueUs) await new Promise<void>((resolve) => clock.setTimerAt(dueUs, resolve));
      if (inFlight.length >= MAX_IN_FLIGHT) await inFlight.shift();
      inFlight.push(
        client.publishAsync(message.topic, message.payload, {
          qos: message.qos,
          retain: message.retain,
          properties: { userProperties: { ...REPLAY_USER_PROPERTY } },
        }),
      );
      published++;
    }
    await Promise.all(inFlight);
  } catch (error) {
    io.stderr.write(`shieldlink replay: publishing failed: ${(error as Error).message}\n`);
    await client.endAsync(true).catch(() => undefined);
    return EXIT_RUNTIME;
  }
  await client.endAsync();
  const wallS = (clock.nowUs() - startUs) / 1e6;
  const recordedS = plan.length === 0 ? 0 : (plan.at(-1)!.atUs * options.rate) / 1e6;
  if (options.json) {
    io.stdout.write(JSON.stringify({ published, rate: options.rate, recordedS, wallS }) + '\n');
  } else {
    io.stdout.write(
      `replayed ${published} messages to ${options.broker}: ${recordedS.toFixed(1)} s recorded in ${wallS.toFixed(1)} s (${options.rate}x)\n`,
    );
  }
  return EXIT_OK;
}
