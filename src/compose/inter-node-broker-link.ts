import type { BrokerLink, BrokerLinkListener, OutboundMessage } from '../bridge/broker-link.js';
import type { InterNodeLink } from './inter-node-link.js';

/** The sharing link's broker, in-process: a publish on `…/shared/…/<partner>` goes over the inter-node link. */
export class InterNodeBrokerLink implements BrokerLink {
  readonly connected = true;
  readonly protocolVersion = 5 as const;
  readonly writeBacklogBytes = 0;
  constructor(
    private readonly link: InterNodeLink,
    private readonly nodeId: string,
  ) {}
  start(_listener: BrokerLinkListener): void {}
  publish(message: OutboundMessage, done: (error?: Error) => void): void {
    const to = message.topic.split('/').at(-1) ?? '';
    const payload = typeof message.payload === 'string' ? Buffer.from(message.payload) : message.payload;
    this.link.send(this.nodeId, to, message.topic, payload);
    done();
  }
  batch(fn: () => void): void {
    fn();
  }
  async stop(): Promise<void> {}
}
