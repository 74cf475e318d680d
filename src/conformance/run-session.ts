import type { ConformanceSession, StatusMessage } from './check-context.js';
import type { DeviceKind } from './rule-check.js';

/** What the run knows about the device; command ids from a base drawn from what it has seen. */
export class RunSession implements ConformanceSession {
  initialStatus?: StatusMessage;
  initialHeartbeatCount?: number;
  firstHeartbeatCount?: number;
  wentSafeAfterUs?: number;
  identity?: ConformanceSession['identity'];
  safeBeforeHello?: string;
  private nextId = 1;

  constructor(readonly device: DeviceKind) {}

  /**
   * Start command ids at a point that depends on this run (times seen at connection): ids of an
   * earlier run against the same device are remembered by it (ICD-CMN-008), and reusing them
   * would be refused duplicate-command. Deterministic under a VirtualClock.
   */
  seedCommandIds(entropy: readonly number[]): void {
    let hash = 0x811c9dc5;
    for (const value of entropy) {
      const text = String(value);
      for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
    }
    // Keep 2^24 ids of room below the top so the sequence never wraps to 0 within a run.
    this.nextId = 1 + (hash % (0xffffffff - (1 << 24)));
  }

  nextCommandId(): number {
    return this.nextId++;
  }
}
