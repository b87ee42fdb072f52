/**
 * The audit log's SQL. Appends must serialize (each event names its predecessor's hash):
 * on PostgreSQL a transaction-scoped advisory lock is taken before the head is read; SQLite
 * already serializes writers (writeTransaction begins IMMEDIATE). Call these inside the
 * write transaction of the change they record, so the event commits or rolls back with it.
 */
import { sql } from 'kysely';
import type { Row } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import { preparedInsert, preparedQuery } from '../../db/prepared.js';
import type { Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { genesisHash, hashAuditEvent } from './audit.chain.js';

/** Any constant shared by every Awn process: the key of the append lock on PostgreSQL. */
const auditAppendLockKey = 0x41776e01;

export interface AuditEventInput {
  /** Only the acting user's id, the token's id (if one was used) and the request id are recorded. */
  actor: Pick<Actor, 'userId' | 'requestId' | 'tokenId'>;
  /** What happened, as `<entity>.<verb>`, e.g. 'user.create', 'auth.login', or 'read'. */
  action: string;
  entity: string;
  entityId: string | null;
  /** Names of the fields written or read; never their values. */
  fields: readonly string[];
}

export type AuditEventRow = Row<'audit_events'>;

/** Appends one event to the hash chain, in the caller's transaction. */
export async function appendAuditEvent(
  trx: Executor,
  event: AuditEventInput,
  clock: Clock,
): Promise<void> {
  await appendAuditEvents(trx, [event], clock);
}

/** The newest event: the head of the chain. */
export const auditHead = preparedQuery((db) =>
  db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(sql.lit(1)),
);

export const insertAuditEventRows = preparedInsert<'audit_events', AuditEventRow>('audit_events', {
  seq: 'bigint',
  at: 'text',
  actor_id: 'text',
  action: 'text',
  entity: 'text',
  entity_id: 'text',
  fields_json: 'text',
  request_id: 'text',
  token_id: 'text',
  previous_hash: 'text',
  hash: 'text',
});

/**
 * Appends events in order with one head read and one insert of every row (inside
 * writeTransaction on SQLite, one cached single-row insert each).
 */
export async function appendAuditEvents(
  trx: Executor,
  events: readonly AuditEventInput[],
  clock: Clock,
): Promise<void> {
  if (events.length === 0) return;
  if (dialectOf(trx) === 'postgres') {
    await sql`select pg_advisory_xact_lock(${auditAppendLockKey})`.execute(trx);
  }
  const head = await auditHead.first(trx, {});
  let seq = head ? Number(head.seq) : 0;
  let previousHash = head ? head.hash : genesisHash;
  const at = clock().toISOString();
  const rows: AuditEventRow[] = events.map((event) => {
    seq += 1;
    const content = {
      seq,
      at,
      actor_id: event.actor.userId,
      action: event.action,
      entity: event.entity,
      entity_id: event.entityId,
      fields_json: JSON.stringify([...new Set(event.fields)].sort()),
      request_id: event.actor.requestId,
      token_id: event.actor.tokenId ?? null,
      previous_hash: previousHash,
    };
    previousHash = hashAuditEvent(content);
    return { ...content, hash: previousHash };
  });
  await insertAuditEventRows.run(trx, rows);
}

/**
 * Records that personal data was read (action 'read', the field names only).
 * Call it inside a write transaction, like any append.
 */
export async function logPersonalDataRead(
  trx: Executor,
  actor: Pick<Actor, 'userId' | 'requestId' | 'tokenId'>,
  entity: string,
  entityId: string | null,
  fields: readonly string[],
  clock: Clock = systemClock,
): Promise<void> {
  await appendAuditEvent(trx, { actor, action: 'read', entity, entityId, fields }, clock);
}

export interface AuditEventFilter {
  entity?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  /** Events at or after this instant, and before this one (ISO strings, as stored). */
  atFrom?: string;
  atTo?: string;
  /** Only events with a smaller seq (the cursor of the previous page). */
  beforeSeq?: number;
  limit: number;
}

/** Events matching the filter, newest first. */
export async function findAuditEvents(
  db: Executor,
  filter: AuditEventFilter,
): Promise<AuditEventRow[]> {
  let query = db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(filter.limit);
  if (filter.entity !== undefined) query = query.where('entity', '=', filter.entity);
  if (filter.entityId !== undefined) query = query.where('entity_id', '=', filter.entityId);
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.atFrom !== undefined) query = query.where('at', '>=', filter.atFrom);
  if (filter.atTo !== undefined) query = query.where('at', '<', filter.atTo);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

/** Events with seq greater than `afterSeq`, oldest first, at most `limit` (for verification). */
export async function findAuditEventsAfter(
  db: Executor,
  afterSeq: number,
  limit: number,
): Promise<AuditEventRow[]> {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}
