// The worker thread behind solveRoutingInWorker (routing.worker.ts): plain JavaScript, so that
// it starts in any host (tsx, Vitest), then loads the TypeScript solver through tsx once and
// answers every message: { id, jobs: [{ problem, options }] } -> { id, ok, solutions }.
import { parentPort, threadId } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { solveRouting } = await import('../../domain/routing/solve.ts');
parentPort.on('message', ({ id, jobs }) => {
  try {
    const solutions = jobs.map(({ problem, options }) => solveRouting(problem, options));
    parentPort.postMessage({ id, ok: true, solutions, threadId });
  } catch (error) {
    parentPort.postMessage({
      id,
      ok: false,
      name: error.name,
      message: error.message,
      path: error.path,
    });
  }
});
