/**
 * The routing solver in a browser Web Worker (Vite's worker import), so a page can re-optimise a
 * run's stop order without freezing: `await orderInWorker(depot, points)` (see route-order.ts).
 */
import type { LatLng } from '../../../src/domain/routing/distance.js';
import type { OrderAnswer, OrderRequest } from './route-order';
import RoutingWorker from './routing.worker?worker';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, (answer: OrderAnswer) => void>();

/** `orderStops` on the page's routing worker (started on first use and kept). */
export function orderInWorker(
  depot: LatLng,
  points: LatLng[],
  options: Omit<OrderRequest, 'id' | 'depot' | 'points'> = {},
): Promise<{ order: number[]; length_metres: number }> {
  if (!worker) {
    worker = new RoutingWorker();
    worker.addEventListener('message', (event: MessageEvent<OrderAnswer>) => {
      pending.get(event.data.id)?.(event.data);
      pending.delete(event.data.id);
    });
  }
  const id = nextId++;
  const running = worker;
  return new Promise((resolve, reject) => {
    pending.set(id, (answer) => (answer.ok ? resolve(answer) : reject(new Error(answer.message))));
    running.postMessage({ id, depot, points, ...options } satisfies OrderRequest);
  });
}
