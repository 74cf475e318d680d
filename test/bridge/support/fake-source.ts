import type {
  BridgeSink,
  BridgeSource,
  DeviceStateUpdate,
  EngagementChange,
  NodeBirth,
  TrackPicture,
} from '../../../src/bridge/bridge-source.js';

/** A `BridgeSource` the test pushes through by hand. */
export class FakeSource implements BridgeSource {
  sink: BridgeSink | null = null;
  readonly birthInfo: NodeBirth = {
    softwareVersion: '0.1.0-test',
    configHash: 'c0ffee',
    startedAt: '2030-01-01T00:00:00.000Z',
    devices: [
      { deviceId: 'radar-1', kind: 'radar' },
      { deviceId: 'launcher-1', kind: 'launcher' },
    ],
  };

  birth(): NodeBirth {
    return this.birthInfo;
  }

  attach(sink: BridgeSink): () => void {
    this.sink = sink;
    return () => {
      this.sink = null;
    };
  }
}

export function deviceState(
  deviceId: string,
  receivedAtUs: number,
  extra: Partial<DeviceStateUpdate> = {},
): DeviceStateUpdate {
  return {
    deviceId,
    kind: deviceId.startsWith('radar') ? 'radar' : 'launcher',
    link: 'active',
    state: deviceId.startsWith('radar') ? 'search' : 'safe',
    quality: 'good',
    deviceTimeUs: receivedAtUs + 123,
    receivedAtUs,
    counters: { framesIn: 10, crcErrors: 0 },
    ...extra,
  };
}

export function trackPicture(hostTimeUs: number, count: number): TrackPicture {
  return {
    hostTimeUs,
    tracks: Array.from({ length: count }, (_, i) => ({
      trackId: String(i + 1),
      iff: i % 3 === 0 ? 'friendly' : 'hostile',
      quality: 'good' as const,
      eastM: 1000 * i,
      northM: 2000,
      upM: 3000,
      eastMps: -100,
      northMps: 0,
      upMps: -5,
      estimateTimeUs: hostTimeUs,
      threatRank: i,
      engagementId: null,
    })),
  };
}

export function engagementChange(n: number, hostTimeUs = n * 1000): EngagementChange {
  return {
    engagementId: `e${(n % 5) + 1}`,
    trackId: String((n % 5) + 1),
    launcherId: 'launcher-1',
    transition: 'planned',
    state: 'planned',
    reason: null,
    commandId: null,
    sourceSeq: n,
    hostTimeUs,
    detail: { n },
  };
}
