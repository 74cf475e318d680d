/** Launcher pointing: azimuth clockwise from north in [0, 360), elevation in [0, 90] degrees. */
export interface Pointing {
  readonly azimuthDeg: number;
  readonly elevationDeg: number;
}

/**
 * The launcher's trainable mount: both axes move at once, each at the slew rate, azimuth the
 * short way round. Position is a closed-form function of time since the last command, so no
 * timer is needed to move it.
 */
export class SlewModel {
  private from: Pointing;
  private to: Pointing;
  private sinceUs: number;

  constructor(
    private readonly rateDegPerS: number,
    initial: Pointing,
    nowUs: number,
  ) {
    this.from = initial;
    this.to = initial;
    this.sinceUs = nowUs;
  }

  /** Where the mount is aiming for. */
  get target(): Pointing {
    return this.to;
  }

  /** Start moving toward `to` from wherever the mount is now. */
  command(to: Pointing, nowUs: number): void {
    this.from = this.pointingAt(nowUs);
    this.to = { azimuthDeg: wrap360(to.azimuthDeg), elevationDeg: clamp(to.elevationDeg, 0, 90) };
    this.sinceUs = nowUs;
  }

  /** Pointing at shared time `nowUs`. */
  pointingAt(nowUs: number): Pointing {
    const maxStep = (this.rateDegPerS * Math.max(0, nowUs - this.sinceUs)) / 1e6;
    const dAz = shortestAzimuth(this.from.azimuthDeg, this.to.azimuthDeg);
    const dEl = this.to.elevationDeg - this.from.elevationDeg;
    return {
      azimuthDeg: wrap360(this.from.azimuthDeg + Math.sign(dAz) * Math.min(Math.abs(dAz), maxStep)),
      elevationDeg: this.from.elevationDeg + Math.sign(dEl) * Math.min(Math.abs(dEl), maxStep),
    };
  }

  /** Largest axis error, degrees, between the pointing at `nowUs` and `wanted`. */
  errorDeg(wanted: Pointing, nowUs: number): number {
    const now = this.pointingAt(nowUs);
    return Math.max(
      Math.abs(shortestAzimuth(now.azimuthDeg, wrap360(wanted.azimuthDeg))),
      Math.abs(clamp(wanted.elevationDeg, 0, 90) - now.elevationDeg),
    );
  }
}

function wrap360(deg: number): number {
  const wrapped = deg % 360;
  return wrapped < 0 ? wrapped + 360 : wrapped;
}

/** Signed smallest rotation from `from` to `to`, in (−180, 180]. */
function shortestAzimuth(from: number, to: number): number {
  let d = wrap360(to - from);
  if (d > 180) d -= 360;
  return d;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
