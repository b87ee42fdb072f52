/** The Web Worker behind orderInWorker (routing-worker.ts); the work is route-order.ts: one answer per request. */
import { orderStops, type OrderRequest } from './route-order';

const scope = self as unknown as {
  addEventListener(type: 'message', listener: (event: MessageEvent<OrderRequest>) => void): void;
  postMessage(message: unknown): void;
};
scope.addEventListener('message', (event) => scope.postMessage(orderStops(event.data)));
