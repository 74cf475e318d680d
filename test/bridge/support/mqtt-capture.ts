import mqtt, { type MqttClient } from 'mqtt';

export interface Captured {
  readonly topic: string;
  readonly payload: Buffer;
  readonly retain: boolean;
  readonly qos: number;
  readonly correlationData: Buffer | null;
}

/**
 * A separate MQTT client subscribed to `filter` that keeps every message it receives —
 * what a consumer on the command network sees.
 */
export class MqttCapture {
  readonly messages: Captured[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) =>
      this.messages.push({
        topic,
        payload,
        retain: packet.retain,
        qos: packet.qos,
        correlationData: packet.properties?.correlationData ?? null,
      }),
    );
  }

  static async start(
    url: string,
    filter: string,
    options: { protocolVersion?: 4 | 5; clientId?: string; clean?: boolean } = {},
  ): Promise<MqttCapture> {
    const client = await mqtt.connectAsync(url, {
      protocolVersion: options.protocolVersion ?? 4,
      clientId: options.clientId ?? `capture-${Math.random().toString(16).slice(2)}`,
      clean: options.clean ?? true,
      reconnectPeriod: 200,
    });
    const capture = new MqttCapture(client);
    await client.subscribeAsync(filter, { qos: 1 });
    return capture;
  }

  on(suffix: string): Captured[] {
    return this.messages.filter((m) => m.topic.endsWith(suffix));
  }

  json(suffix: string): Record<string, unknown>[] {
    return this.on(suffix).map((m) => JSON.parse(m.payload.toString('utf8')) as Record<string, unknown>);
  }

  async stop(): Promise<void> {
    await this.client.endAsync(true);
  }
}
