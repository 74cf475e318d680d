/**
 * One instant of a picture compared with truth: the tracks a picture held and the true objects
 * that existed at the same instant. Positions and velocities are coordinate arrays in one
 * Cartesian frame (e.g. local ENU metres and metres per second); every metric compares them with
 * the Euclidean distance.
 */

/** A track or a true object at one instant. */
export interface PictureObject {
  /** Stable identity over time (a track number, a target id). */
  readonly id: string;
  readonly position: readonly number[];
  /** Needed only for velocity accuracy; absent velocities are left out of it. */
  readonly velocity?: readonly number[];
}

/** The picture and truth at one instant. */
export interface PictureFrame {
  /** The instant, seconds (any origin; frames are in increasing time). */
  readonly tS: number;
  readonly tracks: readonly PictureObject[];
  readonly truths: readonly PictureObject[];
}
