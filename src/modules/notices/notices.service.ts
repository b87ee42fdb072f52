/**
 * Household notices (a template to the households of a cycle or areas, through the outbox,
 * with delivery states) and the public entitlement check: a card number and the last four
 * digits of the household's phone show what is left, rate-limited and audit-logged, and no
 * other personal data.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction } from '../../db/transaction.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import { smsLength } from '../../domain/messaging/text.js';
import { toAsciiDigits } from '../../domain/text/arabic.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError, RateLimitedError, ValidationError } from '../../shared/errors.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { resolveCard } from '../cards/cards.service.js';
import { getHouseholdView } from '../households/households.search.js';
import { queueMessages, renderMessage } from '../messaging/messaging.service.js';
import { getEntitlements } from '../redemptions/redemptions.service.js';
import {
  cycleExists,
  findAreaPaths,
  findPhonesInAreas,
  findPhonesInCycle,
} from './notices.repository.js';
import type { SendNoticeInput } from './notices.schema.js';

/** Sends a template to the households of a cycle or of areas (exactly one of the two). */
export async function sendNotice(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: SendNoticeInput,
  clock: Clock,
): Promise<{
  id: string;
  households: number;
  queued: number;
  skipped: number;
  sms: ReturnType<typeof smsLength>;
}> {
  if ((input.area_pcodes === undefined) === (input.cycle_id === undefined)) {
    throw new ValidationError([
      {
        path: '/area_pcodes',
        message: 'give either area_pcodes or cycle_id',
        code: 'one-audience',
      },
    ]);
  }
  const language = input.language ?? 'ar';
  const id = randomUUID();
  return writeTransaction(storage, async (trx) => {
    let households: { id: string; phone: string }[];
    if (input.cycle_id !== undefined) {
      if (!(await cycleExists(trx, input.cycle_id))) {
        throw new ValidationError([
          { path: '/cycle_id', message: 'is not a known cycle', code: 'unknown-cycle' },
        ]);
      }
      households = await findPhonesInCycle(trx, input.cycle_id);
    } else {
      const pcodes = input.area_pcodes ?? [];
      const paths = await findAreaPaths(trx, pcodes);
      const unknown = pcodes.flatMap((pcode, index) => (paths.has(pcode) ? [] : [index]));
      if (unknown.length > 0) {
        throw new ValidationError(
          unknown.map((index) => ({
            path: `/area_pcodes/${index}`,
            message: 'is not a known area',
            code: 'unknown-area',
          })),
        );
      }
      households = await findPhonesInAreas(trx, [...paths.values()]);
    }
    const text = await renderMessage(trx, input.template_code, language, input.values ?? {});
    const result = await queueMessages(
      trx,
      actor,
      households.map((household) => ({
        channel: 'sms' as const,
        to: household.phone,
        household_id: household.id,
        body: text.body,
        language,
        template_code: input.template_code,
        source_kind: 'notice',
        source_id: id,
      })),
      clock,
    );
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'notice.send',
        entity: 'notice',
        entityId: id,
        fields: ['template_code', 'area_pcodes', 'cycle_id'],
      },
      clock,
    );
    return {
      id,
      households: households.length,
      queued: result.ids.length,
      skipped: result.skipped.length,
      sms: smsLength(text.body),
    };
  });
}

/** Attempts in a window, per key; in memory (each server process counts its own). */
class AttemptWindow {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly window_ms: number,
  ) {}

  /** Records an attempt; the seconds to wait when over the limit, else 0. */
  take(key: string, now_ms: number): number {
    const recent = (this.attempts.get(key) ?? []).filter((at) => now_ms - at < this.window_ms);
    if (recent.length >= this.limit) {
      this.attempts.set(key, recent);
      return Math.ceil(((recent[0] ?? now_ms) + this.window_ms - now_ms) / 1000);
    }
    recent.push(now_ms);
    this.attempts.set(key, recent);
    if (this.attempts.size > 100_000) this.attempts.clear();
    return 0;
  }
}

const byAddress = new AttemptWindow(10, 15 * 60_000);
const byCard = new AttemptWindow(5, 15 * 60_000);

/**
 * What a household has left, for a citizen with its card number and the last four digits of
 * its phone: 10 checks per address and 5 per card in 15 minutes (429 past them); a wrong card
 * or wrong digits are one 404 `no-match`, so neither can be probed alone. Every check is in the
 * audit log (a match as a read of the household's entitlements; a miss without the card).
 */
export async function checkEntitlement(
  storage: Pick<Storage, 'db' | 'dialect'>,
  input: { card_number: string; phone_last4: string },
  request: { address: string; requestId: string },
  clock: Clock,
): Promise<{
  items: { commodity: string; remaining: number; ends_on: string | null; redeemable: boolean }[];
}> {
  const now = clock().getTime();
  const card = toAsciiDigits(input.card_number).replace(/[\s-]/gu, '');
  const wait = Math.max(byAddress.take(request.address, now), byCard.take(card, now));
  if (wait > 0) throw new RateLimitedError(wait);
  const actor = { ...systemActor, requestId: request.requestId };
  const miss = async () => {
    await writeTransaction(storage, (trx) =>
      appendAuditEvent(
        trx,
        {
          actor,
          action: 'entitlement_check.miss',
          entity: 'household',
          entityId: null,
          fields: [],
        },
        clock,
      ),
    );
    return new NotFoundError('household with this card and phone', 'no-match');
  };
  const resolved = await resolveCard(storage.db, card);
  if (!resolved.ok) throw await miss();
  const household = await getHouseholdView(storage.db, systemActor, resolved.household.id, false);
  const phone = (household as { phone?: string | null }).phone ?? null;
  if (phone === null || !phone.endsWith(toAsciiDigits(input.phone_last4))) throw await miss();
  const entitlements = await getEntitlements(storage.db, systemActor, resolved.household.id, clock);
  await writeTransaction(storage, (trx) =>
    appendAuditEvent(
      trx,
      {
        actor,
        action: 'read',
        entity: 'household',
        entityId: resolved.household.id,
        fields: ['entitlements'],
      },
      clock,
    ),
  );
  return {
    items: entitlements.items.map((item) => ({
      commodity: item.commodity,
      remaining: item.remaining,
      ends_on: item.ends_on,
      redeemable: item.redeemable,
    })),
  };
}
