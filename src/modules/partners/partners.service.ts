/**
 * Partners: outside institutions the organisation works with. They are public institutions,
 * so every signed-in role reads all of them; creating one needs its area in the actor's scope.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { assertAreaInScope } from '../../db/scope.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { findArea } from '../areas/areas.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  findPartner,
  insertPartner,
  listPartners as selectPartners,
  type PartnerRecord,
} from './partners.repository.js';
import type { CreatePartnerInput, PartnerListInput, PartnerView } from './partners.schema.js';

// What other modules may read of this module's tables (they never import its repository).
export { findPartner } from './partners.repository.js';

function presentPartner(row: PartnerRecord): PartnerView {
  return {
    id: row.id,
    kind: row.kind,
    name_ar: row.name_ar,
    name_en: row.name_en,
    area_pcode: row.area_pcode,
    created_at: row.created_at,
  };
}

export async function listPartners(db: Executor, input: PartnerListInput): Promise<PartnerView[]> {
  return (await selectPartners(db, input)).map(presentPartner);
}

/** Returns the partner or throws NotFoundError. */
export async function getPartner(db: Executor, id: string): Promise<PartnerView> {
  const row = await findPartner(db, id);
  if (!row) throw new NotFoundError('partner');
  return presentPartner(row);
}

/** Inside the caller's transaction: creates the partner in a known area within the actor's scope. */
export async function createPartnerIn(
  trx: Executor,
  actor: Actor,
  input: CreatePartnerInput,
  clock: Clock,
): Promise<PartnerView> {
  if (!(await findArea(trx, input.area_pcode))) {
    throw new ValidationError([{ path: '/area_pcode', message: 'is not a known area' }]);
  }
  await assertAreaInScope(trx, actor.scope, input.area_pcode);
  const row: PartnerRecord = {
    id: randomUUID(),
    kind: input.kind,
    name_ar: input.name_ar.trim(),
    name_en: input.name_en.trim(),
    area_pcode: input.area_pcode,
    created_at: clock().toISOString(),
  };
  await insertPartner(trx, row);
  await appendAuditEvent(
    trx,
    {
      actor,
      action: 'partner.create',
      entity: 'partner',
      entityId: row.id,
      fields: Object.keys(input),
    },
    clock,
  );
  return presentPartner(row);
}

/**
 * Creates a partner. Throws ValidationError for an unknown area and NotFoundError for an
 * area outside the actor's scope.
 */
export async function createPartner(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreatePartnerInput,
  clock: Clock,
): Promise<PartnerView> {
  return writeTransaction(storage, (trx) => createPartnerIn(trx, actor, input, clock));
}
