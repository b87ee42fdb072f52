/**
 * Action items of meetings: owner, due date, status; reminders to owners with an account the
 * day before and once late; the follow-up view of open and late items per org unit.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { systemActor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import { configuredTimeZone, localDay } from '../../shared/time-zone.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { queueMessages, renderMessage } from '../messaging/messaging.service.js';
import {
  findActionItem,
  findActionItems,
  findMeeting,
  insertActionItem,
  updateActionItem,
  type ActionItemRecord,
} from './meetings.repository.js';
import type { ActionItemView, CreateActionItemInput } from './meetings.schema.js';

/** The deployment's day (AWN_TIME_ZONE) of an instant, YYYY-MM-DD. */
function todayIn(instant: Date): string {
  return localDay(instant, configuredTimeZone());
}

function present(
  row: ActionItemRecord & { org_unit_id?: string; meeting_title?: string },
  today: string,
): ActionItemView {
  return {
    id: row.id,
    meeting_id: row.meeting_id,
    ...(row.meeting_title !== undefined ? { meeting_title: row.meeting_title } : {}),
    ...(row.org_unit_id !== undefined ? { org_unit_id: row.org_unit_id } : {}),
    title: row.title,
    owner_user_id: row.owner_user_id,
    owner_name: row.owner_name,
    due_on: row.due_on,
    status: row.status,
    late: row.status === 'open' && row.due_on < today,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function createActionItem(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  meetingId: string,
  input: CreateActionItemInput,
  clock: Clock,
): Promise<ActionItemView> {
  if (!(await findMeeting(storage.db, meetingId))) throw new NotFoundError('meeting');
  const now = clock().toISOString();
  const row: ActionItemRecord = {
    id: randomUUID(),
    meeting_id: meetingId,
    title: input.title.trim(),
    owner_user_id: input.owner_user_id ?? null,
    owner_name: input.owner_name?.trim() ?? null,
    due_on: input.due_on,
    status: 'open',
    reminded_before_at: null,
    reminded_after_at: null,
    created_at: now,
    updated_at: now,
  };
  await writeTransaction(storage, async (trx) => {
    await insertActionItem(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'action_item.create',
        entity: 'action_item',
        entityId: row.id,
        fields: ['meeting_id', 'title', 'owner_user_id', 'owner_name', 'due_on'],
      },
      clock,
    );
  });
  return present(row, todayIn(clock()));
}

export async function setActionItemStatus(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  status: ActionItemRecord['status'],
  clock: Clock,
): Promise<ActionItemView> {
  return writeTransaction(storage, async (trx) => {
    const row = await findActionItem(trx, id);
    if (!row) throw new NotFoundError('action item');
    const updated_at = clock().toISOString();
    await updateActionItem(trx, id, { status, updated_at });
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'action_item.status',
        entity: 'action_item',
        entityId: id,
        fields: ['status'],
      },
      clock,
    );
    return present({ ...row, status, updated_at }, todayIn(clock()));
  });
}

/** Items across meetings (late: open and past due), with open and late counts per unit. */
export async function followUp(
  db: Executor,
  query: {
    org_unit_id?: string;
    meeting_id?: string;
    state?: 'open' | 'late' | 'done' | 'dropped';
  },
  clock: Clock,
): Promise<{
  items: ActionItemView[];
  units: { org_unit_id: string; open: number; late: number }[];
}> {
  const today = todayIn(clock());
  const state = query.state;
  const rows = await findActionItems(db, {
    ...(query.org_unit_id !== undefined ? { org_unit_id: query.org_unit_id } : {}),
    ...(query.meeting_id !== undefined ? { meeting_id: query.meeting_id } : {}),
    ...(state !== undefined ? { status: state === 'late' ? 'open' : state } : {}),
    ...(state === 'late' ? { due_before: today } : {}),
  });
  const items = rows.map((row) => present(row, today));
  const units = new Map<string, { org_unit_id: string; open: number; late: number }>();
  for (const item of items) {
    if (item.status !== 'open' || item.org_unit_id === undefined) continue;
    const unit = units.get(item.org_unit_id) ?? { org_unit_id: item.org_unit_id, open: 0, late: 0 };
    unit.open += 1;
    if (item.late) unit.late += 1;
    units.set(item.org_unit_id, unit);
  }
  return { items, units: [...units.values()] };
}

/**
 * Reminds owners (with an account: their inbox) of open items due tomorrow or today, and once
 * more when late; each reminder goes once. Returns how many were queued.
 */
export async function remindActionItems(
  storage: Pick<Storage, 'db' | 'dialect'>,
  clock: Clock,
): Promise<number> {
  const today = todayIn(clock());
  const tomorrow = todayIn(new Date(clock().getTime() + 86_400_000));
  return writeTransaction(storage, async (trx) => {
    const open = await findActionItems(trx, { status: 'open' });
    const now = clock().toISOString();
    let queued = 0;
    for (const item of open) {
      if (item.owner_user_id === null) continue;
      const late = item.due_on < today;
      const due = !late && item.due_on <= tomorrow;
      if (!(late ? item.reminded_after_at === null : due && item.reminded_before_at === null))
        continue;
      const code = late ? 'action_item_late' : 'action_item_due';
      const text = await renderMessage(trx, code, 'ar', {
        title: item.title,
        meeting: item.meeting_title,
        due_on: item.due_on,
      });
      await queueMessages(
        trx,
        systemActor,
        [
          {
            channel: 'inbox',
            to: item.owner_user_id,
            subject: text.subject,
            body: text.body,
            language: 'ar',
            template_code: code,
            source_kind: 'action_item',
            source_id: item.id,
          },
        ],
        clock,
      );
      await updateActionItem(
        trx,
        item.id,
        late ? { reminded_after_at: now } : { reminded_before_at: now },
      );
      queued += 1;
    }
    return queued;
  });
}
