/**
 * The printable card sheet: an Arabic, right-to-left HTML page laid out for A4, eight cards of
 * ID-1 size (85.6 x 54 mm) per page, each with its signed QR code as inline SVG.
 */
import QRCode from 'qrcode';
import { formatCardNumber } from '../../domain/identity/card-number.js';
import { inDigitStyle, type DigitStyle } from '../../shared/digits.js';
import { escapeHtml } from '../../shared/html.js';
import { unpaced, type Pace } from '../../shared/pacing.js';
import { printFontFaces, printFontFamily } from '../../shared/print-fonts.js';

export interface SheetCard {
  head_full_name: string;
  card_number: string;
  issued_on: string;
  area_name_ar: string;
  household_size: number;
  /** The household's home service point in each programme that sets one (Arabic names). */
  homes?: readonly { programme_name_ar: string; service_point_name_ar: string }[];
  payload: string;
}

const CARDS_PER_PAGE = 8;

export { escapeHtml };

const style = `
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
${printFontFaces}
body { font-family: ${printFontFamily}; color: #111; background: #fff; }
.page { display: grid; grid-template-columns: repeat(2, 85.6mm); grid-auto-rows: 54mm; gap: 8mm 10mm; justify-content: center; break-after: page; }
.page:last-child { break-after: auto; }
.card { border: 0.3mm solid #333; border-radius: 3mm; padding: 3mm; display: flex; gap: 3mm; break-inside: avoid; overflow: hidden; }
.details { flex: 1; display: flex; flex-direction: column; gap: 1.2mm; min-width: 0; }
.title { font-size: 9pt; font-weight: bold; border-bottom: 0.2mm solid #999; padding-bottom: 1mm; }
.name { font-size: 11pt; font-weight: bold; line-height: 1.3; }
.line { font-size: 8.5pt; }
.number { font-size: 12pt; font-weight: bold; letter-spacing: 0.5mm; direction: ltr; unicode-bidi: isolate; font-family: "DejaVu Sans Mono", monospace; }
.qr { width: 30mm; height: 30mm; align-self: center; flex: none; }
.qr svg { width: 100%; height: 100%; display: block; }
.empty { font-size: 12pt; padding: 20mm; text-align: center; }
@media screen { body { background: #eee; } .page { background: #fff; padding: 10mm; margin: 10mm auto; width: 210mm; } }
`;

async function renderCard(card: SheetCard, digits: DigitStyle): Promise<string> {
  const shown = (text: string) => escapeHtml(inDigitStyle(text, digits));
  const qr = await QRCode.toString(card.payload, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 1,
  });
  return `<section class="card">
<div class="details">
<div class="title">بطاقة تموينية — عون</div>
<div class="name">${escapeHtml(card.head_full_name)}</div>
<div class="number">${shown(formatCardNumber(card.card_number))}</div>
<div class="line">المنطقة: ${escapeHtml(card.area_name_ar)}</div>
<div class="line">عدد الأفراد: ${shown(String(card.household_size))}</div>
<div class="line">تاريخ الإصدار: <bdi>${shown(card.issued_on)}</bdi></div>
${(card.homes ?? [])
  .map(
    (home) =>
      `<div class="line home">منفذ ${escapeHtml(home.programme_name_ar)}: ${escapeHtml(home.service_point_name_ar)}</div>`,
  )
  .join('\n')}
</div>
<div class="qr" aria-label="رمز البطاقة">${qr}</div>
</section>`;
}

/** Returns the whole HTML document for the cards, in the given order, numbers in the digit style. */
export async function renderCardSheet(
  cards: readonly SheetCard[],
  digits: DigitStyle = 'arab',
  pace: Pace = unpaced,
): Promise<string> {
  // One card at a time with `pace` between: a QR code costs a millisecond or more.
  const rendered: string[] = [];
  for (const card of cards) {
    rendered.push(await renderCard(card, digits));
    await pace();
  }
  const pages: string[] = [];
  for (let start = 0; start < rendered.length; start += CARDS_PER_PAGE) {
    pages.push(
      `<div class="page">\n${rendered.slice(start, start + CARDS_PER_PAGE).join('\n')}\n</div>`,
    );
  }
  const body = pages.length > 0 ? pages.join('\n') : '<p class="empty">لا توجد بطاقات مطابقة.</p>';
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>بطاقات تموينية</title>
<style>${style}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
