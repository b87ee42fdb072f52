/**
 * Stop order for one run: nearest neighbour from the depot, then 2-opt until no reversal
 * shortens the path. Distances are great-circle metres. Pure; the planner calls it through
 * `orderStops` so the CVRP solver of src/domain/routing can take its place.
 */

export interface Point {
  latitude: number;
  longitude: number;
}

const earthRadiusMetres = 6_371_000;

/** Great-circle distance in metres (haversine). */
export function distanceMetres(a: Point, b: Point): number {
  const toRadians = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * toRadians;
  const dLon = (b.longitude - a.longitude) * toRadians;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * toRadians) * Math.cos(b.latitude * toRadians) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusMetres * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Length of the open path depot -> stops in order, in metres. */
export function pathLengthMetres(
  depot: Point,
  stops: readonly Point[],
  order: readonly number[],
): number {
  let length = 0;
  let previous = depot;
  for (const index of order) {
    const next = stops[index] as Point;
    length += distanceMetres(previous, next);
    previous = next;
  }
  return length;
}

/** Indexes of `stops` in visiting order, starting from the depot (an open path). */
export function orderStops(depot: Point, stops: readonly Point[]): number[] {
  const count = stops.length;
  if (count <= 1) return stops.map((_, index) => index);
  const nodes = [depot, ...stops];
  const size = nodes.length;
  const distance = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      const d = distanceMetres(nodes[i] as Point, nodes[j] as Point);
      distance[i * size + j] = d;
      distance[j * size + i] = d;
    }
  }
  const d = (i: number, j: number) => distance[i * size + j] as number;

  // Nearest neighbour; ties go to the lower index so the order is deterministic.
  const tour: number[] = [0];
  const visited = new Uint8Array(size);
  visited[0] = 1;
  for (let step = 1; step < size; step++) {
    const last = tour[tour.length - 1] as number;
    let best = -1;
    for (let candidate = 1; candidate < size; candidate++) {
      if (visited[candidate]) continue;
      if (best < 0 || d(last, candidate) < d(last, best)) best = candidate;
    }
    visited[best] = 1;
    tour.push(best);
  }

  // 2-opt on the open path (the depot stays first; the last edge has no successor).
  let improved = true;
  while (improved) {
    improved = false;
    for (let i = 0; i < size - 2; i++) {
      for (let j = i + 2; j < size; j++) {
        const a = tour[i] as number;
        const b = tour[i + 1] as number;
        const c = tour[j] as number;
        const next = j + 1 < size ? (tour[j + 1] as number) : -1;
        const before = d(a, b) + (next >= 0 ? d(c, next) : 0);
        const after = d(a, c) + (next >= 0 ? d(b, next) : 0);
        if (after + 1e-9 < before) {
          for (let left = i + 1, right = j; left < right; left++, right--) {
            const swap = tour[left] as number;
            tour[left] = tour[right] as number;
            tour[right] = swap;
          }
          improved = true;
        }
      }
    }
  }
  return tour.slice(1).map((node) => node - 1);
}
