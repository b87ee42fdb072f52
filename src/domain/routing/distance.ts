/**
 * Distances the solver consumes, as dense row-major matrices (`from * size + to`).
 * CVRPLIB's convention (Euclidean, rounded to the nearest integer) for the benchmark, and
 * great-circle metres times a detour factor for households on real streets.
 */

/** A dense distance matrix over `size` places: entry `from * size + to`. */
export interface DistanceMatrix {
  size: number;
  values: Float64Array;
}

/** CVRPLIB / TSPLIB EUC_2D: Euclidean distance rounded to the nearest integer. */
export function roundedEuclideanMatrix(
  points: readonly (readonly [number, number])[],
): DistanceMatrix {
  const size = points.length;
  const values = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    const [xi, yi] = points[i]!;
    for (let j = i + 1; j < size; j++) {
      const [xj, yj] = points[j]!;
      const dx = xi - xj;
      const dy = yi - yj;
      // sqrt is correctly rounded (Math.hypot need not be), as CVRPLIB's nint(sqrt(...)).
      const distance = Math.round(Math.sqrt(dx * dx + dy * dy));
      values[i * size + j] = distance;
      values[j * size + i] = distance;
    }
  }
  return { size, values };
}

export interface LatLng {
  latitude: number;
  longitude: number;
}

/** The IUGG mean Earth radius. */
const EARTH_RADIUS_METRES = 6_371_008.8;

/** Great-circle (haversine) distance between two points, in metres. */
export function greatCircleMetres(a: LatLng, b: LatLng): number {
  const toRadians = Math.PI / 180;
  const latitudeA = a.latitude * toRadians;
  const latitudeB = b.latitude * toRadians;
  const sinLatitude = Math.sin((latitudeB - latitudeA) / 2);
  const sinLongitude = Math.sin(((b.longitude - a.longitude) * toRadians) / 2);
  const h =
    sinLatitude * sinLatitude +
    Math.cos(latitudeA) * Math.cos(latitudeB) * sinLongitude * sinLongitude;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A place to visit: its own location when known, else the caller's fallback (e.g. the community's centroid). */
export interface HouseholdPlace {
  location: LatLng | null;
  fallback: LatLng;
}

/**
 * Walking or driving metres between places, estimated as great-circle metres times
 * `detourFactor` (streets are not straight; about 1.3 in towns). A place without a location
 * stands at its fallback point. Distances are rounded to whole metres.
 */
export function householdDistanceMatrix(
  places: readonly HouseholdPlace[],
  detourFactor = 1.3,
): DistanceMatrix {
  if (!(detourFactor >= 1) || !Number.isFinite(detourFactor)) {
    throw new RangeError(`detour factor must be a finite number >= 1, got ${detourFactor}`);
  }
  const size = places.length;
  const points = places.map((place) => place.location ?? place.fallback);
  const values = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      const metres = Math.round(greatCircleMetres(points[i]!, points[j]!) * detourFactor);
      values[i * size + j] = metres;
      values[j * size + i] = metres;
    }
  }
  return { size, values };
}
