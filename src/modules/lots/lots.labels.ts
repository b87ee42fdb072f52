/**
 * The A4 sheet of lot labels: three across, each with a QR code of the lot (`awn-lot:<id>`,
 * which the web app's scanner opens), its number, commodity in Arabic and English, expiry and
 * status. One document with its style inline.
 */
import QRCode from 'qrcode';
import type { Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { escapeHtml } from '../../shared/html.js';
import type { Clock } from '../../shared/clock.js';
import { findCommodities } from '../commodities/commodities.service.js';
import type { LotListInput } from './lots.schema.js';
import { listLots } from './lots.service.js';

/** What a lot label's QR code holds. */
export function lotQrPayload(lotId: string): string {
  return `awn-lot:${lotId}`;
}

const style = `@page { size: A4; margin: 8mm; }
body { margin: 0; font-family: 'Noto Naskh Arabic', 'Amiri', serif; }
.sheet { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; }
.label { border: 0.3mm dashed #555; padding: 2mm; height: 38mm; display: flex; gap: 2mm; break-inside: avoid; }
.qr { width: 30mm; height: 30mm; flex: none; } .qr svg { width: 100%; height: 100%; display: block; }
.number { font-weight: bold; direction: ltr; unicode-bidi: isolate; font-family: monospace; }
.en { direction: ltr; unicode-bidi: isolate; font-size: 8pt; color: #333; }
.line { font-size: 9pt; }`;

const statusAr: Record<string, string> = {
  quarantined: 'حجر — بانتظار المعاينة',
  released: 'مقبول',
  rejected: 'مرفوض',
  expired: 'منتهي الصلاحية',
};

/** Labels of the lots in the actor's scope that match the filter (a donation's, say). */
export async function renderLotLabels(
  db: Executor,
  actor: Actor,
  filter: LotListInput & { donation_id?: string },
  clock: Clock,
): Promise<string> {
  const lots = (await listLots(db, actor, filter, clock)).filter(
    (lot) => filter.donation_id === undefined || lot.donation_id === filter.donation_id,
  );
  const names = new Map(
    (await findCommodities(db, [...new Set(lots.map((lot) => lot.commodity))])).map((row) => [
      row.code,
      row,
    ]),
  );
  const labels: string[] = [];
  for (const lot of lots) {
    const qr = await QRCode.toString(lotQrPayload(lot.id), {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 1,
    });
    const commodity = names.get(lot.commodity);
    labels.push(`<section class="label">
<div class="qr">${qr}</div>
<div>
<div class="number">${escapeHtml(lot.number)}</div>
<div class="line">${escapeHtml(commodity?.name_ar ?? lot.commodity)} <span class="en">${escapeHtml(commodity?.name_en ?? lot.commodity)}</span></div>
<div class="line">الكمية: <bdi>${lot.quantity}</bdi></div>
<div class="line">الصلاحية: <bdi>${escapeHtml(lot.expires_on ?? '—')}</bdi></div>
<div class="line">${escapeHtml(statusAr[lot.status] ?? lot.status)} <span class="en">${escapeHtml(lot.status)}</span></div>
</div>
</section>`);
  }
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>ملصقات الدفعات — Lot labels</title>
<style>${style}</style></head>
<body>
<div class="sheet">
${labels.join('\n') || '<p>لا دفعات. <span class="en">No lots.</span></p>'}
</div>
</body>
</html>`;
}
