/**
 * A circular's reach, counted from its rows: members reached and acknowledged per unit and per
 * level, the median and 90th percentile time to acknowledge, the public version's delivery
 * states; and reminders to those who have not acknowledged, with the parent units told which
 * of their units lag.
 */
import { randomBytes } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import type { MessagingConfig } from '../../shared/messaging-config.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  countMessagesByStatus,
  queueMessages,
  renderMessage,
  type MessageInput,
} from '../messaging/messaging.service.js';
import {
  findCircular,
  findCircularUnits,
  findDueForReminder,
  findRecipients,
  findUnits,
  findVolunteerPhones,
  markReminded,
  setLinkHash,
  updateCircular,
} from './circulars.repository.js';
import type { ReachView } from './circulars.schema.js';
import { hashLink, personalLink } from './circulars.service.js';

/** The nearest-rank percentile of sorted values (null for none). */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

function times(values: number[]): { median_ack_ms: number | null; p90_ack_ms: number | null } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median_ack_ms: percentile(sorted, 0.5), p90_ack_ms: percentile(sorted, 0.9) };
}

export async function circularReach(db: Executor, id: string): Promise<ReachView> {
  const circular = await findCircular(db, id);
  if (!circular) throw new NotFoundError('circular');
  const units = await findCircularUnits(db, id);
  const recipients = await findRecipients(db, id);
  const publishedMs = circular.published_at ? Date.parse(circular.published_at) : 0;
  const perUnit = new Map(
    units.map((unit) => [unit.org_unit_id, { members: 0, acknowledged: 0, ack: [] as number[] }]),
  );
  const all: number[] = [];
  for (const recipient of recipients) {
    const unit = perUnit.get(recipient.org_unit_id);
    if (!unit) continue;
    unit.members += 1;
    if (recipient.acknowledged_at !== null) {
      const lag = Date.parse(recipient.acknowledged_at) - publishedMs;
      unit.acknowledged += 1;
      unit.ack.push(lag);
      all.push(lag);
    }
  }
  const levels = new Map<
    number,
    { units: number; members: number; acknowledged: number; ack: number[] }
  >();
  for (const unit of units) {
    const counts = perUnit.get(unit.org_unit_id);
    const level = levels.get(unit.depth) ?? { units: 0, members: 0, acknowledged: 0, ack: [] };
    level.units += 1;
    level.members += counts?.members ?? 0;
    level.acknowledged += counts?.acknowledged ?? 0;
    level.ack.push(...(counts?.ack ?? []));
    levels.set(unit.depth, level);
  }
  const acknowledged = all.length;
  const publicCounts = await countMessagesByStatus(db, 'circular_public', id);
  return {
    members: recipients.length,
    acknowledged,
    pending: recipients.length - acknowledged,
    ...times(all),
    units: units.map((unit) => ({
      org_unit_id: unit.org_unit_id,
      parent_org_unit_id: unit.parent_org_unit_id,
      level: unit.depth,
      members: perUnit.get(unit.org_unit_id)?.members ?? 0,
      acknowledged: perUnit.get(unit.org_unit_id)?.acknowledged ?? 0,
      relayed_at: unit.relayed_at,
    })),
    levels: [...levels.entries()]
      .sort(([a], [b]) => a - b)
      .map(([level, counts]) => ({
        level,
        units: counts.units,
        members: counts.members,
        acknowledged: counts.acknowledged,
        ...times(counts.ack),
      })),
    public: publicCounts,
  };
}

/**
 * Reminds every member who has not acknowledged (users in their inbox; volunteers by SMS with
 * a fresh personal link, the old one no longer working), and tells the members of each lagging
 * unit's parent which of its units lag.
 */
export async function remindCircular(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  config: Pick<MessagingConfig, 'public_url'>,
  clock: Clock,
): Promise<{ reminded: number; lagging_units: string[]; parents_told: number }> {
  return writeTransaction(storage, async (trx) => {
    const circular = await findCircular(trx, id);
    if (!circular) throw new NotFoundError('circular');
    if (circular.status !== 'published') {
      throw new ConflictError('circular-not-published', 'Publish the circular first.');
    }
    const now = clock().toISOString();
    const pending = await findRecipients(trx, id, { pending: true });
    const base = { language: 'ar' as const, source_kind: 'circular_reminder', source_id: id };
    const messages: MessageInput[] = [];
    const phones = await findVolunteerPhones(
      trx,
      pending
        .filter((recipient) => recipient.member_kind === 'volunteer')
        .map((recipient) => recipient.member_id),
    );
    const inboxText = await renderMessage(trx, 'circular_reminder_inbox', 'ar', {
      title: circular.title,
    });
    for (const recipient of pending) {
      if (recipient.member_kind === 'user') {
        messages.push({
          ...base,
          channel: 'inbox',
          to: recipient.member_id,
          subject: inboxText.subject,
          body: inboxText.body,
          template_code: 'circular_reminder_inbox',
        });
        continue;
      }
      const token = randomBytes(18).toString('base64url');
      await setLinkHash(trx, recipient, hashLink(token));
      const phone = phones.get(recipient.member_id);
      if (phone === undefined) continue;
      const text = await renderMessage(trx, 'circular_reminder_sms', 'ar', {
        title: circular.title,
        link: personalLink(config, token),
      });
      messages.push({
        ...base,
        channel: 'sms',
        to: phone,
        body: text.body,
        template_code: 'circular_reminder_sms',
      });
    }
    // The lagging units, by parent: the parent's own members are told.
    const units = await findCircularUnits(trx, id);
    const laggingIds = [...new Set(pending.map((recipient) => recipient.org_unit_id))].sort();
    const parentOf = new Map(units.map((unit) => [unit.org_unit_id, unit.parent_org_unit_id]));
    const names = new Map(
      (await findUnits(trx, laggingIds)).map((unit) => [unit.id, unit.name_ar]),
    );
    const byParent = new Map<string, string[]>();
    for (const unitId of laggingIds) {
      const parent = parentOf.get(unitId);
      if (!parent) continue;
      byParent.set(parent, [...(byParent.get(parent) ?? []), unitId]);
    }
    const allRecipients = await findRecipients(trx, id);
    let parentsTold = 0;
    for (const [parent, lagging] of byParent) {
      const heads = allRecipients.filter(
        (recipient) => recipient.org_unit_id === parent && recipient.member_kind === 'user',
      );
      if (heads.length === 0) continue;
      parentsTold += 1;
      const text = await renderMessage(trx, 'circular_lagging_units', 'ar', {
        title: circular.title,
        units: lagging.map((unitId) => names.get(unitId) ?? unitId).join('، '),
      });
      for (const head of heads) {
        messages.push({
          ...base,
          source_kind: 'circular_lagging',
          channel: 'inbox',
          to: head.member_id,
          subject: text.subject,
          body: text.body,
          template_code: 'circular_lagging_units',
        });
      }
    }
    await queueMessages(trx, actor, messages, clock);
    await markReminded(trx, id, pending, now);
    await updateCircular(trx, id, { reminded_at: now, updated_at: now });
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'circular.remind',
        entity: 'circular',
        entityId: id,
        fields: ['reminded_at'],
      },
      clock,
    );
    return { reminded: pending.length, lagging_units: laggingIds, parents_told: parentsTold };
  });
}

/** Reminds every published circular past its due time that was not reminded yet; how many. */
export async function remindDueCirculars(
  storage: Pick<Storage, 'db' | 'dialect'>,
  config: Pick<MessagingConfig, 'public_url'>,
  clock: Clock,
): Promise<number> {
  const due = await findDueForReminder(storage.db, clock().toISOString());
  for (const id of due) await remindCircular(storage, systemActor, id, config, clock);
  return due.length;
}
