/**
 * The households of a cycle that have not been served yet: a paged list for the cycle page and
 * a printable A4 signature sheet in Arabic (household, card number, address, what is due,
 * signature and date), for a volunteer or an outlet to serve them from. Both log the read of
 * personal data.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import { escapeHtml } from '../../shared/html.js';
import { printFontFaces, printFontFamily } from '../../shared/print-fonts.js';
import { findArea } from '../areas/areas.service.js';
import { logPersonalDataRead } from '../audit/audit.service.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { decodeCursor, encodeCursor } from '../households/households.search.js';
import { findRemainingEntitlements, findUnservedHouseholds } from './cycles.repository.js';
import type { UnservedHouseholdView, UnservedInput } from './cycles.schema.js';
import { getCycle } from './cycles.service.js';

export interface UnservedPage {
  items: UnservedHouseholdView[];
  next_cursor: string | null;
}

/** A page of the cycle's households not yet served (404 when the cycle or area is not known). */
export async function listUnservedHouseholds(
  db: Executor,
  actor: Actor,
  cycleId: string,
  input: UnservedInput,
): Promise<UnservedPage> {
  await getCycle(db, actor, cycleId);
  let withinPath: string | undefined;
  if (input.area_pcode !== undefined) {
    const area = await findArea(db, input.area_pcode);
    if (!area) throw new NotFoundError('area');
    withinPath = area.path;
  }
  const limit = input.limit ?? 100;
  const rows = await findUnservedHouseholds(db, cycleId, actor.scope, {
    ...(withinPath !== undefined ? { withinPath } : {}),
    ...(input.cursor !== undefined ? { after: decodeCursor(input.cursor) } : {}),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const remaining = await findRemainingEntitlements(
    db,
    cycleId,
    page.map((row) => row.id),
  );
  return {
    items: page.map((row) => ({
      id: row.id,
      head_name: [row.head_given_name, row.head_father_name, row.head_family_name].join(' '),
      card_number: row.card_number,
      household_size: row.household_size,
      area_pcode: row.area_pcode,
      area_name_ar: row.area_name_ar,
      area_name_en: row.area_name_en,
      address: row.address,
      remaining: remaining
        .filter((entry) => entry.owner_id === row.id && entry.remaining > 0)
        .map((entry) => ({ commodity: entry.commodity, quantity: entry.remaining })),
    })),
    next_cursor: rows.length > limit && page.length > 0 ? encodeCursor(page.at(-1)!.id) : null,
  };
}

/** The page above, read and audit-logged in one transaction. */
export async function readUnservedHouseholds(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  cycleId: string,
  input: UnservedInput,
  clock: Clock,
): Promise<UnservedPage> {
  return writeTransaction(storage, async (trx) => {
    const page = await listUnservedHouseholds(trx, actor, cycleId, input);
    await logPersonalDataRead(
      trx,
      actor,
      'cycle',
      cycleId,
      ['head_name', 'card_number', 'address'],
      clock,
    );
    return page;
  });
}

const arabicDigits = (value: number | string) =>
  String(value).replace(/\d/gu, (digit) => '٠١٢٣٤٥٦٧٨٩'[Number(digit)] ?? digit);

/** The same page as a printable A4 signature sheet in Arabic; its next cursor beside it. */
export async function unservedSignatureSheet(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  cycleId: string,
  input: UnservedInput,
  clock: Clock,
): Promise<{ html: string; next_cursor: string | null }> {
  return writeTransaction(storage, async (trx) => {
    const cycle = await getCycle(trx, actor, cycleId);
    const page = await listUnservedHouseholds(trx, actor, cycleId, input);
    await logPersonalDataRead(
      trx,
      actor,
      'cycle',
      cycleId,
      ['head_name', 'card_number', 'address'],
      clock,
    );
    const codes = [
      ...new Set(page.items.flatMap((item) => item.remaining.map((entry) => entry.commodity))),
    ];
    const commodities = new Map((await findCommodities(trx, codes)).map((row) => [row.code, row]));
    const due = (item: UnservedHouseholdView) =>
      item.remaining
        .map((entry) => {
          const commodity = commodities.get(entry.commodity);
          const scale = commodity?.display_scale ?? 1;
          const quantity = scale > 1 ? entry.quantity / scale : entry.quantity;
          return `${escapeHtml(commodity?.name_ar ?? entry.commodity)} ${arabicDigits(quantity)} ${escapeHtml(commodity?.display_unit ?? '')}`;
        })
        .join('، ');
    const rows = page.items
      .map(
        (item, index) =>
          `<tr><td>${arabicDigits(index + 1)}</td><td>${escapeHtml(item.head_name)}</td><td dir="ltr">${escapeHtml(item.card_number)}</td><td>${escapeHtml([item.address, item.area_name_ar].filter(Boolean).join('، '))}</td><td>${due(item)}</td><td class="sign"></td><td class="sign"></td></tr>`,
      )
      .join('\n');
    const html = `<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>كشف توقيع الأسر التي لم تستلم</title>
<style>
@page { size: A4; margin: 12mm; }
${printFontFaces}
body { font-family: ${printFontFamily}; font-size: 11pt; }
h1 { font-size: 15pt; margin: 0 0 4mm; }
p.meta { margin: 0 0 4mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.3mm solid #333; padding: 1.5mm 2mm; text-align: right; vertical-align: top; }
th { background: #eee; }
td.sign { width: 28mm; height: 12mm; }
tr { break-inside: avoid; }
</style></head><body>
<h1>كشف توقيع الأسر التي لم تستلم بعد</h1>
<p class="meta">الدورة من ${arabicDigits(cycle.starts_on)} إلى ${arabicDigits(cycle.ends_on)} — ${arabicDigits(page.items.length)} أسرة في هذه الصفحة</p>
<table>
<thead><tr><th>#</th><th>رب الأسرة</th><th>رقم البطاقة</th><th>العنوان</th><th>المستحق</th><th>التوقيع</th><th>التاريخ</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>`;
    return { html, next_cursor: page.next_cursor };
  });
}
