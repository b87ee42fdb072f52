// The worker thread behind solveRoutingInWorker (routing.worker.ts): plain JavaScript, so that
// it starts in any host (tsx, Vitest), then loads the TypeScript solver through tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { solveRouting } = await import('../../domain/routing/solve.ts');
try {
  parentPort.postMessage({
    ok: true,
    solution: solveRouting(workerData.problem, workerData.options),
  });
} catch (error) {
  parentPort.postMessage({ ok: false, name: error.name, message: error.message, path: error.path });
}
