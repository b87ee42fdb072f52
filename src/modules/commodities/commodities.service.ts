/** Commodities: the goods Awn counts, each in an integer base unit. */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { ConflictError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  findCommodity,
  insertCommodity,
  listCommodities as selectCommodities,
  type CommodityRecord,
} from './commodities.repository.js';
import type { CommodityView, CreateCommodityInput } from './commodities.schema.js';

// What other modules may read of this module's tables (they never import its repository).
export { findCommodities, findCommodity } from './commodities.repository.js';

function presentCommodity(row: CommodityRecord): CommodityView {
  return {
    code: row.code,
    name_ar: row.name_ar,
    name_en: row.name_en,
    base_unit: row.base_unit,
    display_unit: row.display_unit,
    display_scale: Number(row.display_scale),
    created_at: row.created_at,
  };
}

/** Adds a commodity; a code already taken is a 409 `commodity-exists`. */
export async function createCommodity(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreateCommodityInput,
  clock: Clock,
): Promise<CommodityView> {
  return writeTransaction(storage, async (trx) => {
    if (await findCommodity(trx, input.code)) {
      throw new ConflictError('commodity-exists', 'A commodity with this code exists.');
    }
    const row: CommodityRecord = { ...input, created_at: clock().toISOString() };
    await insertCommodity(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'commodity.create',
        entity: 'commodity',
        entityId: input.code,
        fields: Object.keys(input),
      },
      clock,
    );
    return presentCommodity(row);
  });
}

/** Every commodity, by code. */
export async function listCommodities(db: Executor): Promise<CommodityView[]> {
  return (await selectCommodities(db)).map(presentCommodity);
}
