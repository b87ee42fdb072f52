/** The printable waybill of an allocation: Arabic with English, one A4 document, style inline. */
import type { Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { escapeHtml } from '../../shared/html.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { requireWarehouse } from '../warehouses/warehouses.service.js';
import { getAllocation } from './allocations.service.js';

const style = `@page { size: A4; margin: 15mm; }
body { font-family: 'Noto Naskh Arabic', 'Amiri', serif; font-size: 12pt; color: #000; }
h1 { font-size: 18pt; margin: 0 0 4mm; }
table { width: 100%; border-collapse: collapse; margin-top: 6mm; }
th, td { border: 1px solid #000; padding: 2mm; text-align: start; }
td.n { text-align: end; font-variant-numeric: tabular-nums; }
.en { direction: ltr; unicode-bidi: isolate; color: #333; font-size: 10pt; }
.signatures { display: flex; justify-content: space-between; margin-top: 20mm; }`;

const recipientAr: Record<string, string> = {
  partner: 'جهة شريكة',
  team: 'فريق تطوعي',
  org_unit: 'وحدة تنظيمية',
  service_point: 'منفذ',
  warehouse: 'مستودع',
};

export async function renderWaybill(db: Executor, actor: Actor, id: string): Promise<string> {
  const allocation = await getAllocation(db, actor, id);
  const warehouse = await requireWarehouse(db, actor, allocation.warehouse_id);
  const commodities = new Map(
    (await findCommodities(db, [...new Set(allocation.lines.map((line) => line.commodity))])).map(
      (row) => [row.code, row],
    ),
  );
  const rows = allocation.lines
    .map((line) => {
      const commodity = commodities.get(line.commodity);
      return `<tr><td class="n">${line.line_number}</td><td>${escapeHtml(commodity?.name_ar ?? line.commodity)}<div class="en">${escapeHtml(commodity?.name_en ?? line.commodity)}</div></td><td><bdi>${escapeHtml(line.lot_number)}</bdi></td><td class="n">${line.quantity} <span class="en">${escapeHtml(commodity?.base_unit ?? '')}</span></td><td class="n">${line.received_quantity ?? ''}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>بوليصة شحن — ${escapeHtml(allocation.id)}</title>
<style>${style}</style></head>
<body>
<h1>بوليصة شحن <span class="en">Waybill</span></h1>
<p>رقم التخصيص <span class="en">Allocation</span>: <bdi>${escapeHtml(allocation.id)}</bdi></p>
<p>من المستودع <span class="en">From</span>: ${escapeHtml(warehouse.name_ar)} <span class="en">${escapeHtml(warehouse.name_en)}</span></p>
<p>إلى <span class="en">To</span>: ${escapeHtml(recipientAr[allocation.recipient.kind] ?? allocation.recipient.kind)} <bdi>${escapeHtml(allocation.recipient.id)}</bdi></p>
<p>الغرض <span class="en">Purpose</span>: ${escapeHtml(allocation.purpose)}</p>
<p>تاريخ الإرسال <span class="en">Dispatched</span>: <bdi>${escapeHtml(allocation.dispatched_at ?? '—')}</bdi></p>
<table>
<thead><tr><th>#</th><th>المادة <span class="en">Item</span></th><th>الدفعة <span class="en">Lot</span></th><th>الكمية المرسلة <span class="en">Sent</span></th><th>الكمية المستلمة <span class="en">Received</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<div class="signatures"><span>المُرسِل <span class="en">Sender</span>: ..................</span><span>الناقل <span class="en">Carrier</span>: ..................</span><span>المستلِم <span class="en">Recipient</span>: ..................</span></div>
</body>
</html>`;
}
