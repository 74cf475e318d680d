import { type GeodeticPosition, LocalFrame } from '../geo/index.js';
import type { Geofence } from './release-policy.js';

/**
 * A geofence ready to test points (see `geofenceSchema` for what the shapes mean). Pure;
 * never throws for finite input; a non-finite point is outside.
 */
export class GeofenceTest {
  private readonly frame: LocalFrame | null;
  private readonly radiusM: number;
  private readonly polygon: readonly { readonly latDeg: number; readonly lonDeg: number }[];

  constructor(readonly fence: Geofence) {
    if ('circle' in fence) {
      this.frame = new LocalFrame({ ...fence.circle.center, heightM: 0 });
      this.radiusM = fence.circle.radiusM;
      this.polygon = [];
    } else {
      this.frame = null;
      this.radiusM = 0;
      this.polygon = fence.polygon;
    }
  }

  contains(p: GeodeticPosition): boolean {
    if (!Number.isFinite(p.latDeg) || !Number.isFinite(p.lonDeg)) return false;
    if (this.frame !== null) {
      const enu = this.frame.enuOf({ ...p, heightM: 0 });
      // Behind the horizon plane (more than a quarter of the earth away) is outside.
      if (enu.upM < -this.radiusM) return false;
      return Math.hypot(enu.eastM, enu.northM) <= this.radiusM;
    }
    return pointInPolygon(p.lonDeg, p.latDeg, this.polygon);
  }
}

/** Even-odd ray casting in (lon, lat) degrees; points on an edge may fall either way. */
function pointInPolygon(x: number, y: number, poly: readonly { latDeg: number; lonDeg: number }[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const xi = poly[i]!.lonDeg;
    const yi = poly[i]!.latDeg;
    const xj = poly[j]!.lonDeg;
    const yj = poly[j]!.latDeg;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
