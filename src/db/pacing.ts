/** An executor whose queries give the event loop its turn: long read loops become slices. */
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Pace } from '../shared/pacing.js';
import type { Executor } from './transaction.js';

class PacingPlugin implements KyselyPlugin {
  constructor(private readonly pace: Pace) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await this.pace();
    return args.result;
  }
}

/**
 * `db` with `pace` awaited after every query. On SQLite a query is synchronous, so a loop of
 * them never lets a request in; paced, the loop runs in slices. Never inside a SQLite write
 * transaction: the connection stays held across the yield, so nothing would get in anyway.
 */
export function pacedExecutor(db: Executor, pace: Pace): Executor {
  return db.withPlugin(new PacingPlugin(pace));
}
