/**
 * A run's stop order by the routing solver (src/domain/routing), as the server computes it:
 * great-circle metres times the detour factor, from the depot through the points and back.
 * The work of the page's routing Web Worker (routing.worker.ts, through routing-worker.ts).
 */
import type { LatLng } from '../../../src/domain/routing/distance.js';
import { solveRouting } from '../../../src/domain/routing/solve.js';
import { routeLength, routeProblem } from '../../../src/domain/runs/route-plan.js';

export interface OrderRequest {
  id: number;
  depot: LatLng;
  points: LatLng[];
  detourFactor?: number;
  timeLimitMs?: number;
  iterationLimit?: number;
  seed?: number;
}

export type OrderAnswer =
  | { id: number; ok: true; order: number[]; length_metres: number }
  | { id: number; ok: false; message: string };

/** The points' visiting order (indexes) and the closed route's length in metres. */
export function orderStops(request: OrderRequest): OrderAnswer {
  try {
    if (request.points.length === 0)
      return { id: request.id, ok: true, order: [], length_metres: 0 };
    const problem = routeProblem(
      request.depot,
      request.points.map((point) => ({ place: { location: point, fallback: point }, demand: [] })),
      [{ capacity: [], maxStops: Infinity }],
      request.detourFactor ?? 1.3,
    );
    const solution = solveRouting(problem, {
      timeLimitMs: request.timeLimitMs ?? 1000,
      iterationLimit: request.iterationLimit ?? 1000,
      seed: request.seed ?? 1,
    });
    const order = solution.routes[0]?.stops ?? [];
    return {
      id: request.id,
      ok: true,
      order,
      length_metres: Math.round(routeLength(problem.distance, order)),
    };
  } catch (error) {
    return { id: request.id, ok: false, message: error instanceof Error ? error.message : 'error' };
  }
}
