import type { BrokerLink, BrokerLinkListener, OutboundMessage } from './broker-link.js';

/** Told of every message the bridge hands to a connected broker, in the order it writes them. */
export type PublishTap = (message: OutboundMessage) => void;

/**
 * `link` with every publish made while connected also handed to `tap` first (the order a
 * subscriber sees them in). The tap must be synchronous and cheap; an exception in it is
 * swallowed, never reaching the bridge. Everything else is the link's own behaviour.
 */
export function tappedLink(link: BrokerLink, tap: PublishTap): BrokerLink {
  return {
    get connected() {
      return link.connected;
    },
    get protocolVersion() {
      return link.protocolVersion;
    },
    get writeBacklogBytes() {
      return link.writeBacklogBytes;
    },
    start: (listener: BrokerLinkListener) => link.start(listener),
    publish(message, done) {
      if (link.connected) {
        try {
          tap(message);
        } catch {
          // a recording problem never stops publishing
        }
      }
      link.publish(message, done);
    },
    batch: (fn) => link.batch(fn),
    stop: () => link.stop(),
  };
}
