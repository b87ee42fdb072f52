/** All SQL on the outbox, its templates, opt-outs and webhook endpoints. */
import type { MessageChannel, MessageStatus, Row } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import { preparedInsert } from '../../db/prepared.js';
import type { Executor } from '../../db/transaction.js';

export type MessageRecord = Row<'messages'>;
export type TemplateRecord = Row<'message_templates'>;
export type WebhookRecord = Row<'message_webhooks'>;

/** A message as queued: every column but the defaulted counters. */
export type NewMessageRow = Omit<MessageRecord, 'unconfirmed' | 'attempts'>;

/**
 * The outbox's hot insert (a circular's public version queues one row per household): one
 * cached statement per row inside a SQLite writeTransaction, one unnest per batch on PostgreSQL.
 */
export const insertMessageRows = preparedInsert<'messages', NewMessageRow>('messages', {
  id: 'text',
  channel: 'text',
  recipient: 'text',
  household_id: 'text',
  user_id: 'text',
  subject: 'text',
  body: 'text',
  language: 'text',
  template_code: 'text',
  source_kind: 'text',
  source_id: 'text',
  resend_of: 'text',
  status: 'text',
  last_error: 'text',
  next_attempt_at: 'text',
  claim_id: 'text',
  claimed_until: 'text',
  created_by: 'text',
  created_at: 'text',
  updated_at: 'text',
  sent_at: 'text',
  delivered_at: 'text',
  failed_at: 'text',
  read_at: 'text',
});

const insertChunkRows = 5000;

export async function insertMessages(trx: Executor, rows: readonly NewMessageRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += insertChunkRows) {
    await insertMessageRows.run(trx, rows.slice(start, start + insertChunkRows));
  }
}

/**
 * The households among these that opted out of the channel. For a large audience every
 * opt-out of the channel is read at once (there are far fewer opt-outs than households).
 */
export async function findOptedOut(
  db: Executor,
  householdIds: readonly string[],
  channel: MessageChannel,
): Promise<Set<string>> {
  if (householdIds.length === 0) return new Set();
  const unique = [...new Set(householdIds)];
  if (unique.length > 1000) {
    const wanted = new Set(unique);
    const rows = await db
      .selectFrom('message_opt_outs')
      .select('household_id')
      .where('channel', '=', channel)
      .execute();
    return new Set(rows.map((row) => row.household_id).filter((id) => wanted.has(id)));
  }
  const rows = await db
    .selectFrom('message_opt_outs')
    .select('household_id')
    .where('channel', '=', channel)
    .where('household_id', 'in', unique)
    .execute();
  return new Set(rows.map((row) => row.household_id));
}

/** Whether any queued message of the channel is due (a read, so an idle worker writes nothing). */
export async function hasDue(db: Executor, channel: MessageChannel, now: string): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('status', '=', 'queued')
    .where('channel', '=', channel)
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Claims up to `limit` due queued messages of the channel for `until`, under `claimId`.
 * PostgreSQL: the rows are locked FOR UPDATE SKIP LOCKED, so processes claiming at once take
 * different rows; SQLite: the caller's writeTransaction holds the one write lock. A claim
 * whose time ran out (its process died) is due again.
 */
export async function claimDue(
  trx: Executor,
  channel: MessageChannel,
  limit: number,
  now: string,
  claimId: string,
  until: string,
): Promise<MessageRecord[]> {
  let due = trx
    .selectFrom('messages')
    .select('id')
    .where('status', '=', 'queued')
    .where('channel', '=', channel)
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .orderBy('next_attempt_at')
    .limit(limit);
  if (dialectOf(trx) === 'postgres') due = due.forUpdate().skipLocked();
  return trx
    .updateTable('messages')
    .set({ claim_id: claimId, claimed_until: until })
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

/**
 * The states of these messages, locked until the transaction ends on PostgreSQL (SQLite's
 * writer already holds the database), so a receipt cannot change one between read and write.
 */
export async function findMessageStates(
  trx: Executor,
  ids: readonly string[],
): Promise<Pick<MessageRecord, 'id' | 'status' | 'attempts' | 'claim_id' | 'sent_at'>[]> {
  if (ids.length === 0) return [];
  const query = trx
    .selectFrom('messages')
    .select(['id', 'status', 'attempts', 'claim_id', 'sent_at'])
    .where('id', 'in', [...ids])
    .orderBy('id');
  return (dialectOf(trx) === 'postgres' ? query.forUpdate() : query).execute();
}

export async function updateMessage(
  trx: Executor,
  id: string,
  patch: Partial<Omit<MessageRecord, 'id'>>,
  claimId?: string,
): Promise<boolean> {
  let query = trx.updateTable('messages').set(patch).where('id', '=', id);
  if (claimId !== undefined) query = query.where('claim_id', '=', claimId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** `sent` messages whose receipt window closed become final (unconfirmed); how many. */
export async function markUnconfirmed(
  db: Executor,
  sentBefore: string,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('messages')
    .set({ unconfirmed: 1, updated_at: now })
    .where('status', '=', 'sent')
    .where('unconfirmed', '=', 0)
    .where('sent_at', '<', sentBefore)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** One message; `lock`: locked until the transaction ends (PostgreSQL). */
export async function findMessage(
  db: Executor,
  id: string,
  lock = false,
): Promise<MessageRecord | undefined> {
  const query = db.selectFrom('messages').selectAll().where('id', '=', id);
  return (lock && dialectOf(db) === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export interface MessageFilter {
  source_kind?: string;
  source_id?: string;
  status?: MessageStatus;
  channel?: MessageChannel;
  user_id?: string;
}

/** A page of messages by id, after `afterId`; one more than `limit` tells there is more. */
export async function findMessages(
  db: Executor,
  filter: MessageFilter,
  afterId: string | null,
  limit: number,
): Promise<MessageRecord[]> {
  let query = db
    .selectFrom('messages')
    .selectAll()
    .orderBy('id')
    .limit(limit + 1);
  if (filter.source_kind !== undefined) query = query.where('source_kind', '=', filter.source_kind);
  if (filter.source_id !== undefined) query = query.where('source_id', '=', filter.source_id);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
  if (filter.user_id !== undefined) query = query.where('user_id', '=', filter.user_id);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.execute();
}

/** Messages of a source by status (reach figures). */
export async function countMessagesByStatus(
  db: Executor,
  sourceKind: string,
  sourceId: string,
  channel?: MessageChannel,
): Promise<Record<MessageStatus, number>> {
  let query = db
    .selectFrom('messages')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('source_kind', '=', sourceKind)
    .where('source_id', '=', sourceId)
    .groupBy('status');
  if (channel) query = query.where('channel', '=', channel);
  const counts: Record<MessageStatus, number> = { queued: 0, sent: 0, delivered: 0, failed: 0 };
  for (const row of await query.execute()) counts[row.status] = Number(row.count);
  return counts;
}

export async function upsertTemplate(trx: Executor, row: TemplateRecord): Promise<void> {
  await trx
    .insertInto('message_templates')
    .values(row)
    .onConflict((conflict) =>
      conflict.column('code').doUpdateSet({
        channel: row.channel,
        subject_ar: row.subject_ar,
        subject_en: row.subject_en,
        body_ar: row.body_ar,
        body_en: row.body_en,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function findTemplates(db: Executor, code?: string): Promise<TemplateRecord[]> {
  let query = db.selectFrom('message_templates').selectAll().orderBy('code');
  if (code !== undefined) query = query.where('code', '=', code);
  return query.execute();
}

export async function setOptOut(
  trx: Executor,
  householdId: string,
  channel: MessageChannel,
  optedOut: boolean,
  now: string,
): Promise<void> {
  if (optedOut) {
    await trx
      .insertInto('message_opt_outs')
      .values({ household_id: householdId, channel, created_at: now })
      .onConflict((conflict) => conflict.columns(['household_id', 'channel']).doNothing())
      .execute();
  } else {
    await trx
      .deleteFrom('message_opt_outs')
      .where('household_id', '=', householdId)
      .where('channel', '=', channel)
      .execute();
  }
}

export async function findOptOutsOf(db: Executor, householdId: string): Promise<MessageChannel[]> {
  const rows = await db
    .selectFrom('message_opt_outs')
    .select('channel')
    .where('household_id', '=', householdId)
    .orderBy('channel')
    .execute();
  return rows.map((row) => row.channel);
}

export async function insertWebhook(trx: Executor, row: WebhookRecord): Promise<void> {
  await trx.insertInto('message_webhooks').values(row).execute();
}

export async function findWebhooks(
  db: Executor,
  ids?: readonly string[],
): Promise<WebhookRecord[]> {
  let query = db.selectFrom('message_webhooks').selectAll().orderBy('id');
  if (ids !== undefined) {
    if (ids.length === 0) return [];
    query = query.where('id', 'in', [...ids]);
  }
  return query.execute();
}
