/**
 * What leaves the server about the households of a run: the printable A4 manifest (Arabic,
 * right to left: stop, head of household, card number, address, items, signature) and the
 * field download (only what a visit needs). Both log the read of personal data.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import { printFontFaces, printFontFamily } from '../../shared/print-fonts.js';
import { logPersonalDataRead } from '../audit/audit.service.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { getRun, parseItems } from './runs.service.js';
import { findStopHouseholds, findStops } from './runs.repository.js';

export interface FieldStop {
  id: string;
  sequence: number;
  household_id: string;
  head_name: string;
  card_number: string;
  address: string | null;
  items: { commodity: string; quantity: number }[];
  state: string;
}

/** The stops of the runs with the head's name, card number and address (nothing else personal). */
export async function fieldStops(
  db: Executor,
  runIds: readonly string[],
): Promise<Map<string, FieldStop[]>> {
  const stops = await findStops(db, runIds);
  const households = new Map(
    (await findStopHouseholds(db, [...new Set(stops.map((stop) => stop.household_id))])).map(
      (row) => [row.id, row],
    ),
  );
  const byRun = new Map<string, FieldStop[]>(runIds.map((id) => [id, []]));
  for (const stop of stops) {
    const household = households.get(stop.household_id);
    byRun.get(stop.run_id)?.push({
      id: stop.id,
      sequence: stop.sequence,
      household_id: stop.household_id,
      head_name: household
        ? [household.head_given_name, household.head_father_name, household.head_family_name].join(
            ' ',
          )
        : '',
      card_number: household?.card_number ?? '',
      address: household
        ? [household.address, household.area_name_ar].filter(Boolean).join('، ') || null
        : null,
      items: parseItems(stop.items_json),
      state: stop.state,
    });
  }
  return byRun;
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
function escape(text: string): string {
  return text.replace(/[&<>"']/gu, (character) => escapes[character] ?? character);
}

const arabicDigits = (value: number | string) =>
  String(value).replace(/\d/gu, (digit) => '٠١٢٣٤٥٦٧٨٩'[Number(digit)] ?? digit);

/** The run's manifest as a printable A4 HTML page in Arabic. */
export async function runManifest(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  runId: string,
  clock: Clock,
): Promise<string> {
  return writeTransaction(storage, async (trx) => {
    const run = await getRun(trx, actor, runId);
    const stops = (await fieldStops(trx, [runId])).get(runId) ?? [];
    const codes = [...new Set(stops.flatMap((stop) => stop.items.map((item) => item.commodity)))];
    const commodities = new Map((await findCommodities(trx, codes)).map((row) => [row.code, row]));
    await logPersonalDataRead(
      trx,
      actor,
      'run',
      runId,
      ['head_name', 'card_number', 'address'],
      clock,
    );
    const itemText = (items: FieldStop['items']) =>
      items
        .map((item) => {
          const commodity = commodities.get(item.commodity);
          const scale = commodity?.display_scale ?? 1;
          const quantity = scale > 1 ? item.quantity / scale : item.quantity;
          return `${escape(commodity?.name_ar ?? item.commodity)} ${arabicDigits(quantity)} ${escape(commodity?.display_unit ?? '')}`;
        })
        .join('، ');
    const rows = stops
      .map(
        (stop) =>
          `<tr><td>${arabicDigits(stop.sequence)}</td><td>${escape(stop.head_name)}</td><td dir="ltr">${escape(stop.card_number)}</td><td>${escape(stop.address ?? '')}</td><td>${itemText(stop.items)}</td><td class="sign"></td></tr>`,
      )
      .join('\n');
    return `<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>بيان جولة التوزيع ${escape(run.date)}</title>
<style>
@page { size: A4; margin: 12mm; }
${printFontFaces}
body { font-family: ${printFontFamily}; font-size: 11pt; }
h1 { font-size: 15pt; margin: 0 0 4mm; }
p.meta { margin: 0 0 4mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.3mm solid #333; padding: 1.5mm 2mm; text-align: right; vertical-align: top; }
th { background: #eee; }
td.sign { width: 35mm; height: 10mm; }
tr { page-break-inside: avoid; }
</style></head><body>
<h1>بيان جولة التوزيع</h1>
<p class="meta">التاريخ: ${escape(arabicDigits(run.date))} — عدد المحطات: ${arabicDigits(stops.length)}</p>
<table><thead><tr><th>المحطة</th><th>رب الأسرة</th><th>رقم البطاقة</th><th>العنوان</th><th>المواد</th><th>التوقيع</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>`;
  });
}
