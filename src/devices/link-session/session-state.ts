/**
 * Lifecycle of a device session (docs/architecture.md §One run, step 3, ros2_control-like: commands only when active).
 *
 * ```
 * stopped ─start()─▶ connecting ─open ok─▶ handshaking ─IDENT ok, activation done─▶ active
 *                      ▲   │open failed            │ ▲                               │
 *                      │   ▼                       │ └──────── IDENT ok ──────────┐   │ silent
 *                   disconnected ◀─ transport closed (any state) ─┐         lost ◀┴───┘
 *                   (backoff timer)                                              (HELLO continues)
 * handshaking/lost ─IDENT with another schema hash or kind─▶ incompatible (nothing is written)
 * any ─stop()─▶ stopped
 * ```
 * - `connecting`: transport open() in progress.
 * - `disconnected`: transport closed or absent; a reopen is scheduled with backoff.
 * - `handshaking`: HELLO every 200 ms until IDENT (ICD-CMN-001), then device activation
 *   (launcher: SAFE first) and a fresh STATUS. Heartbeats run. No caller commands.
 * - `active`: caller commands accepted.
 * - `lost`: transport open but the device silent (ICD-HOST-001); pending commands dropped,
 *   nothing but HELLO written (no heartbeat, so the launcher's own watchdog trips SAFE).
 * - `incompatible`: schema hash or device kind mismatch (ICD-HOST-003); nothing written until
 *   the transport is reopened.
 */
export type SessionState =
  'stopped' | 'connecting' | 'disconnected' | 'handshaking' | 'active' | 'lost' | 'incompatible';

/** One transition, as emitted on `link-state`. */
export interface SessionStateChange {
  readonly state: SessionState;
  readonly previous: SessionState;
  /** Host time of the transition. */
  readonly atHostUs: number;
  /** Why, for logs and operators (e.g. `silent for 150000 us`, `schema hash 0x… != 0x…`). */
  readonly reason: string;
}

/** What the device said about itself in IDENT. */
export interface DeviceIdentity {
  readonly deviceKind: 'unknown' | 'radar' | 'launcher';
  readonly deviceSerial: number;
  readonly firmwareVersion: string;
  readonly schemaHash: number;
  /** Device time in the IDENT. */
  readonly deviceTimeUs: number;
  /** Host time the IDENT arrived. */
  readonly receivedAtHostUs: number;
}
