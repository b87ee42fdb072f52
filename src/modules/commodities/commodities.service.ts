/** Commodities: the goods Awn counts, each in an integer base unit. */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  findCommodity,
  insertCommodity,
  listCommodities as selectCommodities,
  updateCommodity as updateCommodityRow,
  type CommodityRecord,
} from './commodities.repository.js';
import type {
  CommodityView,
  CreateCommodityInput,
  UpdateCommodityInput,
} from './commodities.schema.js';

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
    requires_inspection: Number(row.requires_inspection) === 1,
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
    const { requires_inspection: requiresInspection, ...fields } = input;
    const row: CommodityRecord = {
      ...fields,
      requires_inspection: requiresInspection === true ? 1 : 0,
      created_at: clock().toISOString(),
    };
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

/** Changes whether lots need inspection (lots already received keep their status) or the names. */
export async function updateCommodity(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  code: string,
  input: UpdateCommodityInput,
  clock: Clock,
): Promise<CommodityView> {
  return writeTransaction(storage, async (trx) => {
    if (!(await findCommodity(trx, code))) throw new NotFoundError('commodity');
    await updateCommodityRow(trx, code, {
      ...(input.requires_inspection !== undefined
        ? { requires_inspection: input.requires_inspection ? 1 : 0 }
        : {}),
      ...(input.name_ar !== undefined ? { name_ar: input.name_ar.trim() } : {}),
      ...(input.name_en !== undefined ? { name_en: input.name_en.trim() } : {}),
    });
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'commodity.update',
        entity: 'commodity',
        entityId: code,
        fields: Object.keys(input),
      },
      clock,
    );
    return presentCommodity((await findCommodity(trx, code))!);
  });
}
