/**
 * Day close per service point: per commodity, what was received and handed out that day, what
 * is on hand by the books, against what the clerk counted. The difference is recorded with the
 * close and posted to the ledger as an adjustment (a shortfall from the stock into the
 * `count_difference` account, a surplus from it into the stock), so the books match the
 * shelves the next morning and `awn ledger verify` still balances. A day closes once.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import {
  dayCloseTransferId,
  ownerKinds,
  stockAccountId,
  systemAccountId,
  systemAccounts,
  transferCodes,
} from '../../domain/entitlement/accounts.js';
import { isSuccess, type TransferInput } from '../../domain/ledger/ledger.js';
import { toAsciiDigits } from '../../domain/text/arabic.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { escapeHtml } from '../../shared/html.js';
import { configuredTimeZone, localDay, localDayBounds } from '../../shared/time-zone.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { createAccounts, createTransfers, getOwnedAccounts } from '../ledger/ledger.service.js';
import { findServicePoint } from '../service-points/service-points.service.js';
import { findDayCloses, findDayMovements, insertDayCloses } from './stock.day-close.repository.js';
import type { DayCloseInput, DayCloseView } from './stock.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

const timeZone = configuredTimeZone();

function calendarDay(raw: string): string {
  const day = toAsciiDigits(raw);
  const parsed = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw new ValidationError([{ path: '/date', message: 'is not a date' }]);
  }
  return day;
}

async function servicePointInScope(db: Executor, actor: Actor, id: string) {
  const point = await findServicePoint(db, actor.scope, id);
  if (!point) throw new NotFoundError('service point');
  return point;
}

/** The day's sheet: closed lines as recorded, or (before the close) the day's movements so far. */
async function dayView(
  db: Executor,
  servicePointId: string,
  day: string,
  today: string,
  forWrite = false,
): Promise<DayCloseView> {
  const closes = await findDayCloses(db, servicePointId, day);
  if (closes.length > 0) {
    return {
      service_point_id: servicePointId,
      date: day,
      closed: true,
      closed_at: closes[0]?.closed_at ?? null,
      lines: closes.map((row) => ({
        commodity: row.commodity,
        received: Number(row.received),
        handed_out: Number(row.handed_out),
        on_hand_books: Number(row.on_hand_books),
        counted: Number(row.counted),
        difference: Number(row.difference),
      })),
    };
  }
  // Locked when closing (PostgreSQL), so no hand-over moves the books while they are counted.
  const accounts = (
    await getOwnedAccounts(db, ownerKinds.servicePoint, [servicePointId], { forWrite })
  ).sort((a, b) => (a.commodity < b.commodity ? -1 : a.commodity > b.commodity ? 1 : 0));
  const { start, end } = localDayBounds(day, timeZone);
  const moved = new Map(
    (
      await findDayMovements(
        db,
        accounts.map((account) => account.id),
        start,
        end,
      )
    ).map((line) => [line.commodity, line]),
  );
  return {
    service_point_id: servicePointId,
    date: day,
    closed: false,
    closed_at: null,
    lines: accounts.map((account) => ({
      commodity: account.commodity,
      received: moved.get(account.commodity)?.received ?? 0,
      handed_out: moved.get(account.commodity)?.handed_out ?? 0,
      // Only today's books are the day's: a past day's balance then is not kept.
      on_hand_books: day === today ? account.credits_posted - account.debits_posted : null,
      counted: null,
      difference: null,
    })),
  };
}

/** A service point's day in the actor's scope: closed as recorded, or so far. */
export async function getDayClose(
  db: Executor,
  actor: Actor,
  servicePointId: string,
  date: string,
  clock: Clock,
): Promise<DayCloseView> {
  await servicePointInScope(db, actor, servicePointId);
  return dayView(db, servicePointId, calendarDay(date), localDay(clock(), timeZone));
}

/**
 * Closes today at a service point in the actor's scope with the clerk's counts: 400 for a day
 * other than today or a commodity held and not counted (or counted and not held), 409
 * `day-already-closed`. Records each line and posts each difference; audited.
 */
export async function closeDay(
  storage: WriteStorage,
  actor: Actor,
  servicePointId: string,
  input: DayCloseInput,
  clock: Clock,
): Promise<DayCloseView> {
  const day = calendarDay(input.date);
  return writeTransaction(storage, async (trx) => {
    await servicePointInScope(trx, actor, servicePointId);
    const now = clock();
    const today = localDay(now, timeZone);
    if (day !== today) {
      throw new ValidationError([
        { path: '/date', message: `must be today (${today}); a day is closed at its end` },
      ]);
    }
    if ((await findDayCloses(trx, servicePointId, day)).length > 0) {
      throw new ConflictError('day-already-closed', 'This day is already closed here.', {
        date: day,
      });
    }
    const view = await dayView(trx, servicePointId, day, today, true);
    const held = new Set(view.lines.map((line) => line.commodity));
    const counts = new Map<string, number>();
    const issues: FieldIssue[] = [];
    for (const [index, count] of input.counts.entries()) {
      if (!held.has(count.commodity)) {
        issues.push({
          path: `/counts/${index}/commodity`,
          message: 'is not held at this service point',
        });
      } else if (counts.has(count.commodity)) {
        issues.push({ path: `/counts/${index}/commodity`, message: 'appears more than once' });
      }
      counts.set(count.commodity, count.quantity);
    }
    const missing = [...held].filter((commodity) => !counts.has(commodity));
    if (missing.length > 0) {
      issues.push({
        path: '/counts',
        message: `must count every commodity held: ${missing.join(', ')}`,
      });
    }
    if (issues.length > 0) throw new ValidationError(issues);

    const closedAt = now.toISOString();
    const lines = view.lines.map((line) => {
      const books = line.on_hand_books ?? 0;
      const counted = counts.get(line.commodity) ?? 0;
      return { ...line, on_hand_books: books, counted, difference: counted - books };
    });
    const transfers: TransferInput[] = [];
    for (const line of lines) {
      if (line.difference === 0) continue;
      const stock = stockAccountId(servicePointId, line.commodity);
      const difference = systemAccountId(systemAccounts.countDifference, line.commodity);
      transfers.push({
        id: dayCloseTransferId(servicePointId, day, line.commodity),
        debit_account_id: line.difference < 0 ? stock : difference,
        credit_account_id: line.difference < 0 ? difference : stock,
        amount: Math.abs(line.difference),
        commodity: line.commodity,
        code: transferCodes.countAdjustment,
        flags: 0,
        references: { service_point_id: servicePointId, day },
      });
    }
    if (transfers.length > 0) {
      await createAccounts(
        trx,
        lines.map((line) => ({
          id: systemAccountId(systemAccounts.countDifference, line.commodity),
          commodity: line.commodity,
          owner_kind: ownerKinds.system,
          owner_id: systemAccounts.countDifference,
          flags: 0,
        })),
        clock,
      );
      const results = await createTransfers(trx, transfers, { actor, clock });
      const failed = results.find((result) => !isSuccess(result.result));
      if (failed) {
        // Stock reserved by pending moves cannot be counted away.
        throw new ConflictError(
          'count-below-reserved',
          `The count of ${failed.id.split(':').at(-1) ?? ''} is below what is reserved.`,
        );
      }
    }
    await insertDayCloses(
      trx,
      lines.map((line) => ({
        service_point_id: servicePointId,
        day,
        commodity: line.commodity,
        received: line.received,
        handed_out: line.handed_out,
        on_hand_books: line.on_hand_books,
        counted: line.counted,
        difference: line.difference,
        closed_by: actor.userId,
        closed_at: closedAt,
      })),
    );
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'service_point.day_close',
        entity: 'service_point',
        entityId: servicePointId,
        fields: ['date', 'counts'],
      },
      clock,
    );
    return { ...view, closed: true, closed_at: closedAt, lines };
  });
}

const sheetStyle = `
@page { size: A4; margin: 15mm; }
body { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Tahoma", sans-serif; color: #111; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
p { margin: 1mm 0; }
table { border-collapse: collapse; width: 100%; margin-top: 6mm; }
th, td { border: 0.3mm solid #444; padding: 2mm; text-align: start; }
td.n { font-variant-numeric: tabular-nums; }
.short { font-weight: bold; }
.signatures { margin-top: 18mm; display: flex; justify-content: space-between; }
`;

/** The printable daily sheet of a service point (Arabic, right to left). */
export async function renderDaySheet(
  db: Executor,
  actor: Actor,
  servicePointId: string,
  date: string,
  clock: Clock,
): Promise<string> {
  const point = await servicePointInScope(db, actor, servicePointId);
  const view = await dayView(db, servicePointId, calendarDay(date), localDay(clock(), timeZone));
  const names = new Map(
    (
      await findCommodities(
        db,
        view.lines.map((line) => line.commodity),
      )
    ).map((row) => [row.code, row]),
  );
  const cell = (value: number | null) => `<td class="n">${value === null ? '—' : value}</td>`;
  const rows = view.lines
    .map((line) => {
      const commodity = names.get(line.commodity);
      const label = commodity ? `${commodity.name_ar} (${commodity.base_unit})` : line.commodity;
      return `<tr${line.difference !== null && line.difference < 0 ? ' class="short"' : ''}><td>${escapeHtml(label)}</td>${cell(line.received)}${cell(line.handed_out)}${cell(line.on_hand_books)}${cell(line.counted)}${cell(line.difference)}</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>إغلاق اليوم — ${escapeHtml(point.name_ar)} — ${escapeHtml(view.date)}</title>
<style>${sheetStyle}</style></head>
<body>
<h1>إغلاق اليوم: ${escapeHtml(point.name_ar)}</h1>
<p>التاريخ: <bdi>${escapeHtml(view.date)}</bdi></p>
<p>${view.closed ? `أُغلق في: <bdi>${escapeHtml(view.closed_at ?? '')}</bdi>` : 'لم يُغلق اليوم بعد.'}</p>
<table>
<thead><tr><th>المادة</th><th>المستلم</th><th>المسلَّم للأسر</th><th>الموجود حسب السجلات</th><th>المعدود</th><th>الفرق</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="6">لا مخزون في هذا المنفذ.</td></tr>'}
</tbody>
</table>
<div class="signatures"><span>توقيع أمين المنفذ: ..................</span><span>توقيع المراجع: ..................</span></div>
</body>
</html>`;
}
