/**
 * Circulars: written as a draft, published down the org tree (every unit of the audience and
 * every member of those units, in one transaction with the messages that carry it), members
 * acknowledge (users signed in, volunteers through a personal link), unit heads say they
 * relayed it; reach is counted from rows. The public version goes by SMS to chosen areas'
 * households, through the same outbox.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import { smsLength } from '../../domain/messaging/text.js';
import type { Clock } from '../../shared/clock.js';
import type { MessagingConfig } from '../../shared/messaging-config.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { decodeCursor, encodeCursor } from '../households/households.search.js';
import { queueMessages, renderMessage, type MessageInput } from '../messaging/messaging.service.js';
import {
  acknowledgeRecipient,
  findCircular,
  findCircularUnit,
  findCirculars,
  findHouseholdPhones,
  findKnownAreas,
  findMembers,
  findRecipient,
  findRecipientByLink,
  findSubtreeUnits,
  findUnits,
  insertCircular,
  insertCircularUnits,
  insertRecipients,
  markRelayed,
  updateCircular,
  type CircularRecord,
  type CircularUnitRecord,
  type RecipientRecord,
} from './circulars.repository.js';
import type { CircularView, CreateCircularInput } from './circulars.schema.js';

export function presentCircular(row: CircularRecord): CircularView {
  const areas =
    row.public_area_pcodes_json === null
      ? null
      : (JSON.parse(row.public_area_pcodes_json) as string[]);
  return {
    id: row.id,
    status: row.status,
    title: row.title,
    body: row.body,
    from_org_unit_id: row.from_org_unit_id,
    org_unit_ids: row.audience_json === null ? null : (JSON.parse(row.audience_json) as string[]),
    ack_required: row.ack_required === 1,
    due_at: row.due_at,
    public:
      row.public_body === null
        ? null
        : { body: row.public_body, area_pcodes: areas ?? [], sms: smsLength(row.public_body) },
    published_at: row.published_at,
    created_at: row.created_at,
  };
}

export async function createCircular(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreateCircularInput,
  clock: Clock,
): Promise<CircularView> {
  const issues: FieldIssue[] = [];
  const wanted = [input.from_org_unit_id, ...(input.org_unit_ids ?? [])];
  const known = new Set((await findUnits(storage.db, wanted)).map((unit) => unit.id));
  if (!known.has(input.from_org_unit_id)) {
    issues.push({
      path: '/from_org_unit_id',
      message: 'is not a known org unit',
      code: 'unknown-org-unit',
    });
  }
  (input.org_unit_ids ?? []).forEach((id, index) => {
    if (!known.has(id))
      issues.push({
        path: `/org_unit_ids/${index}`,
        message: 'is not a known org unit',
        code: 'unknown-org-unit',
      });
  });
  if (input.public) {
    const areas = await findKnownAreas(storage.db, input.public.area_pcodes);
    input.public.area_pcodes.forEach((pcode, index) => {
      if (!areas.has(pcode))
        issues.push({
          path: `/public/area_pcodes/${index}`,
          message: 'is not a known area',
          code: 'unknown-area',
        });
    });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  const now = clock().toISOString();
  const row: CircularRecord = {
    id: randomUUID(),
    title: input.title.trim(),
    body: input.body,
    from_org_unit_id: input.from_org_unit_id,
    audience_json: input.org_unit_ids ? JSON.stringify(input.org_unit_ids) : null,
    ack_required: input.ack_required ? 1 : 0,
    due_at: input.due_at ? new Date(input.due_at).toISOString() : null,
    public_body: input.public?.body ?? null,
    public_area_pcodes_json: input.public ? JSON.stringify(input.public.area_pcodes) : null,
    status: 'draft',
    published_at: null,
    reminded_at: null,
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
  };
  await writeTransaction(storage, async (trx) => {
    await insertCircular(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'circular.create',
        entity: 'circular',
        entityId: row.id,
        fields: [
          'title',
          'body',
          'from_org_unit_id',
          'org_unit_ids',
          'ack_required',
          'due_at',
          'public',
        ],
      },
      clock,
    );
  });
  return presentCircular(row);
}

export async function getCircular(db: Executor, id: string): Promise<CircularView> {
  const row = await findCircular(db, id);
  if (!row) throw new NotFoundError('circular');
  return presentCircular(row);
}

export async function listCirculars(
  db: Executor,
  query: { limit?: number; cursor?: string },
): Promise<{ items: CircularView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 50;
  const rows = await findCirculars(
    db,
    query.cursor !== undefined ? decodeCursor(query.cursor) : null,
    limit,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(presentCircular),
    next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}

/** The level of a unit in the org tree (the branch at the top is 0). */
export function levelOf(path: string): number {
  return path.split('/').filter((part) => part !== '').length - 1;
}

export function hashLink(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A volunteer's personal link: acknowledges without a password. */
export function personalLink(config: Pick<MessagingConfig, 'public_url'>, token: string): string {
  return `${config.public_url}/c/${token}`;
}

/**
 * Publishes a draft: the audience's units (each chosen unit, or the issuing one, with its
 * subtree), their members, and the messages to each (users' inbox; volunteers an SMS with a
 * personal link), then the public version to the chosen areas' households by SMS. All in one
 * transaction: a circular is published with every message or not at all.
 */
export async function publishCircular(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  config: Pick<MessagingConfig, 'public_url'>,
  clock: Clock,
): Promise<{
  id: string;
  status: 'published';
  units: number;
  members: number;
  public_queued: number;
}> {
  return writeTransaction(storage, async (trx) => {
    const circular = await findCircular(trx, id);
    if (!circular) throw new NotFoundError('circular');
    if (circular.status !== 'draft') {
      throw new ConflictError('circular-published', 'This circular is already published.');
    }
    const now = clock().toISOString();
    const roots =
      circular.audience_json === null
        ? [circular.from_org_unit_id]
        : (JSON.parse(circular.audience_json) as string[]);
    const rootPaths = (await findUnits(trx, roots)).map((unit) => unit.path);
    const units = await findSubtreeUnits(trx, rootPaths);
    const unitRows: CircularUnitRecord[] = units.map((unit) => ({
      circular_id: id,
      org_unit_id: unit.id,
      parent_org_unit_id: unit.parent_id,
      depth: levelOf(unit.path),
      relayed_at: null,
      relayed_by: null,
    }));
    await insertCircularUnits(trx, unitRows);

    const members = await findMembers(
      trx,
      units.map((unit) => unit.id),
    );
    const recipients: RecipientRecord[] = [];
    const messages: MessageInput[] = [];
    const seen = new Set<string>();
    const base = { language: 'ar' as const, source_kind: 'circular', source_id: id };
    for (const user of members.users) {
      if (seen.has(`user:${user.id}`)) continue;
      seen.add(`user:${user.id}`);
      recipients.push({
        circular_id: id,
        member_kind: 'user',
        member_id: user.id,
        org_unit_id: user.org_unit_id,
        link_hash: null,
        acknowledged_at: null,
        reminded_at: null,
        created_at: now,
      });
      messages.push({
        ...base,
        channel: 'inbox',
        to: user.id,
        subject: circular.title,
        body: circular.body,
      });
    }
    for (const volunteer of members.volunteers) {
      if (seen.has(`volunteer:${volunteer.id}`)) continue;
      seen.add(`volunteer:${volunteer.id}`);
      const token = randomBytes(18).toString('base64url');
      recipients.push({
        circular_id: id,
        member_kind: 'volunteer',
        member_id: volunteer.id,
        org_unit_id: volunteer.org_unit_id,
        link_hash: hashLink(token),
        acknowledged_at: null,
        reminded_at: null,
        created_at: now,
      });
      const text = await renderMessage(trx, 'circular_member_sms', 'ar', {
        title: circular.title,
        link: personalLink(config, token),
      });
      messages.push({
        ...base,
        channel: 'sms',
        to: volunteer.phone,
        body: text.body,
        template_code: 'circular_member_sms',
      });
    }
    await insertRecipients(trx, recipients);
    await queueMessages(trx, actor, messages, clock);

    let publicQueued = 0;
    if (circular.public_body !== null && circular.public_area_pcodes_json !== null) {
      const households = await findHouseholdPhones(
        trx,
        JSON.parse(circular.public_area_pcodes_json) as string[],
      );
      const result = await queueMessages(
        trx,
        actor,
        households.map((household) => ({
          channel: 'sms' as const,
          to: household.phone,
          household_id: household.id,
          body: circular.public_body ?? '',
          language: 'ar' as const,
          source_kind: 'circular_public',
          source_id: id,
        })),
        clock,
      );
      publicQueued = result.ids.length;
    }
    await updateCircular(trx, id, { status: 'published', published_at: now, updated_at: now });
    await appendAuditEvent(
      trx,
      { actor, action: 'circular.publish', entity: 'circular', entityId: id, fields: ['status'] },
      clock,
    );
    return {
      id,
      status: 'published',
      units: unitRows.length,
      members: recipients.length,
      public_queued: publicQueued,
    };
  });
}

async function acknowledgeIn(
  trx: Executor,
  actor: Actor,
  recipient: RecipientRecord,
  clock: Clock,
): Promise<{ circular_id: string; acknowledged_at: string }> {
  if (recipient.acknowledged_at !== null) {
    return { circular_id: recipient.circular_id, acknowledged_at: recipient.acknowledged_at };
  }
  const at = clock().toISOString();
  await acknowledgeRecipient(trx, recipient, at);
  await appendAuditEvent(
    trx,
    {
      actor,
      action: 'circular.acknowledge',
      entity: 'circular',
      entityId: recipient.circular_id,
      fields: ['member_kind', 'member_id'],
    },
    clock,
  );
  return { circular_id: recipient.circular_id, acknowledged_at: at };
}

/** A member in the audience acknowledges (404 for anyone else); a second time answers the first. */
export async function acknowledgeCircular(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<{ circular_id: string; acknowledged_at: string }> {
  return writeTransaction(storage, async (trx) => {
    const recipient = actor.userId ? await findRecipient(trx, id, 'user', actor.userId) : undefined;
    if (!recipient) throw new NotFoundError('circular');
    return acknowledgeIn(trx, actor, recipient, clock);
  });
}

/** What a volunteer's personal link shows (404 for an unknown link). */
export async function readByLink(
  db: Executor,
  token: string,
): Promise<{ title: string; body: string; ack_required: boolean; acknowledged_at: string | null }> {
  const recipient = await findRecipientByLink(db, hashLink(token));
  const circular = recipient ? await findCircular(db, recipient.circular_id) : undefined;
  if (!recipient || !circular) throw new NotFoundError('circular');
  return {
    title: circular.title,
    body: circular.body,
    ack_required: circular.ack_required === 1,
    acknowledged_at: recipient.acknowledged_at,
  };
}

export async function acknowledgeByLink(
  storage: Pick<Storage, 'db' | 'dialect'>,
  token: string,
  clock: Clock,
): Promise<{ circular_id: string; acknowledged_at: string }> {
  return writeTransaction(storage, async (trx) => {
    const recipient = await findRecipientByLink(trx, hashLink(token));
    if (!recipient) throw new NotFoundError('circular');
    return acknowledgeIn(trx, systemActor, recipient, clock);
  });
}

/**
 * A unit says it relayed the circular: by one of its members, or by the office (writers of
 * circulars); a unit outside the audience is 404.
 */
export async function relayCircular(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  unitId: string,
  office: boolean,
  clock: Clock,
): Promise<{ circular_id: string; org_unit_id: string; relayed_at: string }> {
  return writeTransaction(storage, async (trx) => {
    const member = actor.userId ? await findRecipient(trx, id, 'user', actor.userId) : undefined;
    if (!office && member?.org_unit_id !== unitId) throw new NotFoundError('circular unit');
    const at = clock().toISOString();
    const changed = await markRelayed(trx, id, unitId, actor.userId, at);
    if (!changed) {
      const unit = await findCircularUnit(trx, id, unitId);
      if (!unit?.relayed_at) throw new NotFoundError('circular unit');
      return { circular_id: id, org_unit_id: unitId, relayed_at: unit.relayed_at };
    }
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'circular.relay',
        entity: 'circular',
        entityId: id,
        fields: ['org_unit_id'],
      },
      clock,
    );
    return { circular_id: id, org_unit_id: unitId, relayed_at: at };
  });
}
