/**
 * Long read loops in slices: an executor that carries a pace, which a repository awaits between
 * the chunks of a bulk lookup (pacedChunks). Never after a query inside it: Kysely holds the
 * connection until a query's result is handed over, so a request waiting to write would wait
 * out the yield too.
 */
import { unpaced, type Pace } from '../shared/pacing.js';
import { CarrierPlugin, type Executor } from './transaction.js';

class PaceCarrier extends CarrierPlugin {
  constructor(readonly pace: Pace) {
    super();
  }
}

/** `db`, carrying `pace` to the bulk lookups that read through it. */
export function pacedExecutor(db: Executor, pace: Pace): Executor {
  return db.withPlugin(new PaceCarrier(pace));
}

/** `items` in chunks of `size`, the pace `db` carries (if any) awaited between chunks. */
export async function* pacedChunks<T>(
  db: Executor,
  items: readonly T[],
  size: number,
): AsyncGenerator<T[]> {
  const carrier = db.getExecutor().plugins.find((plugin) => plugin instanceof PaceCarrier);
  const pace = carrier?.pace ?? unpaced;
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) await pace();
    yield items.slice(start, start + size);
  }
}
