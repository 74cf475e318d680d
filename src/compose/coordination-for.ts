import type { NodeKey, NodePublicKey } from '../bridge/node-key.js';
import type { TrackSnapshot } from '../control/index.js';
import { CoordinationAgent, type CoordinationOptions, type ThreatView } from '../coordination/index.js';
import type { LocalFrame } from '../geo/index.js';

/** What a node needs to coordinate engagements with its partners. */
export interface CoordinationParts {
  readonly nodeKey: NodeKey;
  /** Each partner's node public key, by partner id (a partner without one is refused: bad-signature). */
  readonly partnerKeys: ReadonlyMap<string, NodePublicKey>;
  readonly partnerIds: readonly string[];
  /** The node's site frame: aim points (ENU) go out in ECEF. */
  readonly frame: LocalFrame;
  /** Unique per process start (a virtual run: a fixed id, so recordings stay byte-identical). */
  readonly bootId: string;
  /** The doctrine's single-shot kill probability, published with claims. */
  readonly killProbability: number;
  /** The rest of {@link CoordinationOptions} (timings, bounds). */
  readonly options?: Partial<Omit<CoordinationOptions, 'selfId' | 'bootId' | 'signer' | 'partners' | 'aimToEcef'>>;
}

/** A {@link CoordinationAgent} for one node, signing with its node key, checking partners with theirs. */
export function coordinationFor(parts: CoordinationParts): CoordinationAgent {
  const self = parts.nodeKey.nodeId;
  return new CoordinationAgent({
    killProbability: parts.killProbability,
    ...parts.options,
    selfId: self,
    bootId: parts.bootId,
    signer: parts.nodeKey,
    partners: parts.partnerIds.map((id) => {
      const key = parts.partnerKeys.get(id);
      return {
        id,
        verify:
          key === undefined || key.nodeId !== id
            ? () => 'bad-signature'
            : (payload: unknown) => key.verifyPayload(payload),
      };
    }),
    aimToEcef: (eastM, northM, upM) => {
      const p = parts.frame.ecefOfEnu({ eastM, northM, upM });
      return [p.x, p.y, p.z];
    },
  });
}

/**
 * The simplest threat views: each core track is its own (no partner members — until the core
 * works on the fused picture, pass the fusion's members instead), and its must-fire-by instant
 * is `mustFireLeadMs` before its predicted impact (null when the core predicts none).
 * `toMs` converts host µs to UTC ms.
 */
export function ownThreatViews(
  self: string,
  tracks: readonly TrackSnapshot[],
  toMs: (hostUs: number) => number,
  mustFireLeadMs: number,
): ThreatView[] {
  return tracks.map((t) => ({
    trackId: t.trackId,
    members: [{ node: self, trackId: String(t.trackId) }],
    mustFireByMs: t.impactAtHostUs === null ? null : toMs(t.impactAtHostUs) - mustFireLeadMs,
  }));
}
