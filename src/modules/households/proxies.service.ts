/**
 * Proxies: people outside a household who may collect for it, part of the household record
 * (a household in the actor's scope; 404 otherwise). Who may collect for a household (the
 * head, a member, a proxy) is what a hand-over's `collected_by` names and the redemption
 * checks (redemptions read it through findCollectorKeys).
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import { toAsciiDigits } from '../../domain/text/arabic.js';
import { NotFoundError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent, recordPersonalDataReads } from '../audit/audit.service.js';
import { fullName } from './households.names.js';
import { findHousehold, findMembers } from './households.repository.js';
import {
  deleteProxyRow,
  findProxies,
  findProxy,
  insertProxy,
  updateProxyRow,
  type ProxyRow,
} from './proxies.repository.js';
import type {
  CollectorView,
  CreateProxyInput,
  ProxyView,
  UpdateProxyInput,
} from './proxies.schema.js';

// What other modules may read (they never import this module's repositories).
export { findCollectorKeys } from './proxies.repository.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

const proxyFields = ['name', 'relation', 'national_id'];

function presentProxy(row: ProxyRow): ProxyView {
  return {
    id: row.id,
    household_id: row.household_id,
    name: row.name,
    relation: row.relation,
    national_id: row.national_id,
    created_at: row.created_at,
  };
}

async function householdInScope(db: Executor, actor: Actor, householdId: string) {
  const household = await findHousehold(db, householdId);
  if (!household || !areaInScope(actor.scope, household.area_path)) {
    throw new NotFoundError('household');
  }
  return household;
}

function cleanNationalId(value: string | null | undefined): string | null {
  return value === undefined || value === null ? null : toAsciiDigits(value);
}

/** The household's proxies; the read of their names is audit-logged. */
export async function listProxies(
  storage: WriteStorage,
  actor: Actor,
  householdId: string,
  clock: Clock,
): Promise<ProxyView[]> {
  await householdInScope(storage.db, actor, householdId);
  const rows = await findProxies(storage.db, householdId);
  await recordPersonalDataReads(
    storage,
    actor,
    'household',
    rows.length > 0 ? [householdId] : [],
    ['proxies'],
    clock,
  );
  return rows.map(presentProxy);
}

export async function createProxy(
  storage: WriteStorage,
  actor: Actor,
  householdId: string,
  input: CreateProxyInput,
  clock: Clock,
): Promise<ProxyView> {
  return writeTransaction(storage, async (trx) => {
    await householdInScope(trx, actor, householdId);
    const row: ProxyRow = {
      id: randomUUID(),
      household_id: householdId,
      name: input.name.trim(),
      relation: input.relation?.trim() ?? null,
      national_id: cleanNationalId(input.national_id),
      created_at: clock().toISOString(),
    };
    await insertProxy(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'household.proxy.create',
        entity: 'household',
        entityId: householdId,
        fields: proxyFields.filter((field) => row[field as keyof ProxyRow] !== null),
      },
      clock,
    );
    return presentProxy(row);
  });
}

export async function updateProxy(
  storage: WriteStorage,
  actor: Actor,
  householdId: string,
  proxyId: string,
  input: UpdateProxyInput,
  clock: Clock,
): Promise<ProxyView> {
  return writeTransaction(storage, async (trx) => {
    await householdInScope(trx, actor, householdId);
    const row = await findProxy(trx, householdId, proxyId);
    if (!row) throw new NotFoundError('proxy');
    const next: ProxyRow = {
      ...row,
      name: input.name?.trim() ?? row.name,
      relation: input.relation === undefined ? row.relation : (input.relation?.trim() ?? null),
      national_id:
        input.national_id === undefined ? row.national_id : cleanNationalId(input.national_id),
    };
    const changed = (['name', 'relation', 'national_id'] as const).filter(
      (field) => next[field] !== row[field],
    );
    if (changed.length === 0) return presentProxy(row);
    await updateProxyRow(trx, next);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'household.proxy.update',
        entity: 'household',
        entityId: householdId,
        fields: changed,
      },
      clock,
    );
    return presentProxy(next);
  });
}

/** Removes a proxy; hand-overs they collected keep naming them ('proxy:<id>'). */
export async function deleteProxy(
  storage: WriteStorage,
  actor: Actor,
  householdId: string,
  proxyId: string,
  clock: Clock,
): Promise<void> {
  await writeTransaction(storage, async (trx) => {
    await householdInScope(trx, actor, householdId);
    if (!(await findProxy(trx, householdId, proxyId))) throw new NotFoundError('proxy');
    await deleteProxyRow(trx, proxyId);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'household.proxy.delete',
        entity: 'household',
        entityId: householdId,
        fields: ['proxies'],
      },
      clock,
    );
  });
}

/**
 * Who may collect for the household, for the counter's picker: the head, each member and
 * each proxy, by name. The read of the names is audit-logged.
 */
export async function listCollectors(
  storage: WriteStorage,
  actor: Actor,
  householdId: string,
  clock: Clock,
): Promise<CollectorView[]> {
  const household = await householdInScope(storage.db, actor, householdId);
  const members = await findMembers(storage.db, [householdId]);
  const proxies = await findProxies(storage.db, householdId);
  await recordPersonalDataReads(
    storage,
    actor,
    'household',
    [householdId],
    ['head_given_name', 'head_father_name', 'head_family_name', 'members', 'proxies'],
    clock,
  );
  return [
    { collector: 'head', kind: 'head', name: fullName(household), relation: null },
    ...members.map((member): CollectorView => ({
      collector: `member:${member.position}`,
      kind: 'member',
      name: member.name,
      relation: member.relation,
    })),
    ...proxies.map((proxy): CollectorView => ({
      collector: `proxy:${proxy.id}`,
      kind: 'proxy',
      name: proxy.name,
      relation: proxy.relation,
    })),
  ];
}
