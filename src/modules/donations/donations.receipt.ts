/** The printable donation receipt: one A4 page in Arabic with English beside, style inline. */
import type { Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { escapeHtml } from '../../shared/html.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { requireWarehouse } from '../warehouses/warehouses.service.js';
import { findDonor } from './donations.repository.js';
import { getDonation } from './donations.service.js';

const style = `@page { size: A4; margin: 15mm; }
body { font-family: 'Noto Naskh Arabic', 'Amiri', serif; font-size: 12pt; color: #000; }
h1 { font-size: 18pt; margin: 0 0 4mm; } h1 small { font-size: 11pt; font-weight: normal; }
table { width: 100%; border-collapse: collapse; margin-top: 6mm; }
th, td { border: 1px solid #000; padding: 2mm; text-align: start; }
td.n { text-align: end; font-variant-numeric: tabular-nums; }
.en { direction: ltr; unicode-bidi: isolate; color: #333; font-size: 10pt; }
.signatures { display: flex; justify-content: space-between; margin-top: 20mm; }`;

const donorKindAr: Record<string, string> = {
  member: 'عضو',
  person: 'شخص',
  organisation: 'جهة',
  anonymous: 'فاعل خير',
};

/** The receipt of a donation in the actor's scope (404 otherwise). */
export async function renderDonationReceipt(
  db: Executor,
  actor: Actor,
  donationId: string,
): Promise<string> {
  const { donation } = await getDonation(db, actor, donationId);
  const warehouse = await requireWarehouse(db, actor, donation.warehouse_id);
  const donor = await findDonor(db, donation.donor_id);
  const commodities = new Map(
    (await findCommodities(db, [...new Set(donation.lots.map((lot) => lot.commodity))])).map(
      (row) => [row.code, row],
    ),
  );
  const rows = donation.lots
    .map((lot, index) => {
      const commodity = commodities.get(lot.commodity);
      const quantity = commodity
        ? `${lot.quantity / Number(commodity.display_scale)} ${commodity.display_unit}`
        : String(lot.quantity);
      return `<tr><td class="n">${index + 1}</td><td>${escapeHtml(commodity?.name_ar ?? lot.commodity)}<div class="en">${escapeHtml(commodity?.name_en ?? lot.commodity)}</div></td><td class="n"><bdi>${escapeHtml(quantity)}</bdi></td><td><bdi>${escapeHtml(lot.number)}</bdi></td><td><bdi>${escapeHtml(lot.expires_on ?? '—')}</bdi></td><td>${lot.status === 'quarantined' ? 'بانتظار المعاينة<div class="en">awaiting inspection</div>' : 'مقبول<div class="en">released</div>'}</td></tr>`;
    })
    .join('\n');
  const donorName =
    donor?.kind === 'anonymous' || !donor?.name ? 'فاعل خير / Anonymous' : donor.name;
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>إيصال تبرع ${escapeHtml(donation.receipt_number)}</title>
<style>${style}</style></head>
<body>
<h1>إيصال استلام تبرع <small class="en">Donation receipt</small></h1>
<p>رقم الإيصال <span class="en">Receipt no.</span>: <bdi>${escapeHtml(donation.receipt_number)}</bdi></p>
<p>التاريخ <span class="en">Date</span>: <bdi>${escapeHtml(donation.received_at.slice(0, 10))}</bdi></p>
<p>المتبرع <span class="en">Donor</span>: ${escapeHtml(donorName)} (${escapeHtml(donorKindAr[donor?.kind ?? ''] ?? '')})</p>
<p>المستودع <span class="en">Warehouse</span>: ${escapeHtml(warehouse.name_ar)} <span class="en">${escapeHtml(warehouse.name_en)}</span></p>
<table>
<thead><tr><th>#</th><th>المادة <span class="en">Item</span></th><th>الكمية <span class="en">Quantity</span></th><th>رقم الدفعة <span class="en">Lot</span></th><th>تاريخ الانتهاء <span class="en">Expiry</span></th><th>الحالة <span class="en">Status</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p>نشكر لكم تبرعكم. <span class="en">Thank you for your donation.</span></p>
<div class="signatures"><span>توقيع أمين المستودع <span class="en">Storekeeper</span>: ..................</span><span>توقيع المتبرع <span class="en">Donor</span>: ..................</span></div>
</body>
</html>`;
}
