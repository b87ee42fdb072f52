/** Reading and verifying the audit log; appending is in audit.repository.ts (inside each write). */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import { checkChainLink, type ChainFault, type ChainHead } from './audit.chain.js';
import {
  appendAuditEvents,
  findAuditEvents,
  findAuditEventsAfter,
  type AuditEventFilter,
  type AuditEventRow,
} from './audit.repository.js';

// What other modules may read of this module's tables (they never import its repository).
export type { AuditEventInput } from './audit.repository.js';

export { appendAuditEvent, appendAuditEvents, logPersonalDataRead } from './audit.repository.js';

/**
 * Records that the actor was shown personal data of these records: one `read` event per
 * record, naming the fields shown (never their values), in a transaction of its own. Every
 * screen, export or sheet that shows a person's data calls this once per page it answers.
 */
export async function recordPersonalDataReads(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  entity: string,
  ids: readonly string[],
  fields: readonly string[],
  clock: Clock,
): Promise<void> {
  if (ids.length === 0) return;
  await writeTransaction(storage, (trx) =>
    appendAuditEvents(
      trx,
      ids.map((entityId) => ({ actor, action: 'read', entity, entityId, fields })),
      clock,
    ),
  );
}

export interface AuditVerification {
  ok: boolean;
  /** Events checked (up to and including the first bad one). */
  events: number;
  /** The newest event (null for an empty log): record it to detect a later truncation. */
  head: ChainHead | null;
  firstBad?: { seq: number; reason: ChainFault };
}

const verifyPageSize = 2000;

/**
 * Walks the whole chain in seq order and names the first event that was changed, inserted,
 * or follows a deleted one. Deleting the newest events leaves a shorter, valid chain: given a
 * head recorded earlier (kept outside the database, e.g. with the backups), the chain must
 * still hold that very event, which catches such a truncation.
 */
export async function verifyAuditLog(
  db: Executor,
  recordedHead?: ChainHead,
): Promise<AuditVerification> {
  let previous: ChainHead | null = null;
  let events = 0;
  let afterSeq = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const page = await findAuditEventsAfter(db, afterSeq, verifyPageSize);
    for (const event of page) {
      events += 1;
      const fault =
        checkChainLink(previous, event) ??
        (recordedHead?.seq === event.seq && recordedHead.hash !== event.hash
          ? 'head-mismatch'
          : null);
      if (fault) {
        return { ok: false, events, head: previous, firstBad: { seq: event.seq, reason: fault } };
      }
      previous = { seq: event.seq, hash: event.hash };
    }
    const last = page.at(-1);
    if (!last || page.length < verifyPageSize) break;
    afterSeq = last.seq;
  }
  if (recordedHead && (previous?.seq ?? 0) < recordedHead.seq) {
    return {
      ok: false,
      events,
      head: previous,
      firstBad: { seq: recordedHead.seq, reason: 'head-missing' },
    };
  }
  return { ok: true, events, head: previous };
}

export interface AuditEventView {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  fields: string[];
  request_id: string | null;
  /** The token the action was made with, if any. */
  token_id: string | null;
  hash: string;
}

export interface AuditEventPage {
  items: AuditEventView[];
  next_cursor: string | null;
}

export interface AuditEventQuery {
  entity?: string;
  entity_id?: string;
  actor_id?: string;
  action?: string;
  /** Events at or after this instant, and before this one (ISO). */
  atFrom?: string;
  atTo?: string;
  cursor?: string;
  limit?: number;
}

function presentAuditEvent(row: AuditEventRow): AuditEventView {
  return {
    seq: row.seq,
    at: row.at,
    actor_id: row.actor_id,
    action: row.action,
    entity: row.entity,
    entity_id: row.entity_id,
    fields: JSON.parse(row.fields_json) as string[],
    request_id: row.request_id,
    token_id: row.token_id,
    hash: row.hash,
  };
}

/** A page of events, newest first; `next_cursor` continues with older ones. */
export async function listAuditEvents(
  db: Executor,
  _actor: Actor,
  query: AuditEventQuery,
): Promise<AuditEventPage> {
  const limit = query.limit ?? 50;
  const filter: AuditEventFilter = { limit: limit + 1 };
  if (query.entity !== undefined) filter.entity = query.entity;
  if (query.entity_id !== undefined) filter.entityId = query.entity_id;
  if (query.actor_id !== undefined) filter.actorId = query.actor_id;
  if (query.action !== undefined) filter.action = query.action;
  if (query.atFrom !== undefined) filter.atFrom = query.atFrom;
  if (query.atTo !== undefined) filter.atTo = query.atTo;
  if (query.cursor !== undefined) filter.beforeSeq = Number(query.cursor);
  const rows = await findAuditEvents(db, filter);
  const items = rows.slice(0, limit).map(presentAuditEvent);
  const last = items.at(-1);
  return {
    items,
    next_cursor: rows.length > limit && last ? String(last.seq) : null,
  };
}
