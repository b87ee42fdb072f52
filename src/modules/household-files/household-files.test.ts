import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { Storage } from '../../db/connect.js';
import { writeTransaction } from '../../db/transaction.js';
import { systemActor } from '../../domain/actor.js';
import type { AwnApp } from '../../server/types.js';
import { seedTestAreas, testAreas } from '../households/households.factories.js';
import { createHouseholds } from '../households/households.registration.js';
import { neutraliseCell } from '../../shared/import-columns.js';
import { csvLine, mediaTypes, readSheetRows } from './household-files.formats.js';
import { columnLetters, importHouseholdFile } from './household-files.service.js';

const clock = () => new Date('2026-11-29T10:00:00.000Z');
const area = testAreas.subdistrict;

const canonicalHeader =
  'card_number,head_given_name,head_father_name,head_grandfather_name,head_family_name,national_id,phone,household_size,area_pcode,address,tags';

let nationalIdSequence = 0;
/** A fresh 11-digit national id per call, so suites never collide on the registry. */
function nextNationalId(): string {
  nationalIdSequence += 1;
  return String(30_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000 + nationalIdSequence);
}

function csvRow(values: {
  given?: string;
  father?: string;
  family?: string;
  nationalId?: string;
  phone?: string;
  size?: string;
  area?: string;
  address?: string;
  tags?: string;
}): string {
  return [
    '',
    values.given ?? 'أحمد',
    values.father ?? 'محمد',
    '',
    values.family ?? 'الخطيب',
    values.nationalId ?? nextNationalId(),
    values.phone ?? '',
    values.size ?? '4',
    values.area ?? area,
    values.address ?? '',
    values.tags ?? '',
  ].join(',');
}

async function countHouseholds(storage: Storage): Promise<number> {
  const row = await storage.db
    .selectFrom('households')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('csvLine', () => {
  it('quotes every field and doubles its quotes', () => {
    expect(csvLine(['a', '', '=1+2";=1+2', neutraliseCell('=1+2";=1+2')])).toBe(
      '"a","","=1+2"";=1+2","\'=1+2"";=1+2"\r\n',
    );
  });
});

describe('columnLetters', () => {
  it('names columns as a spreadsheet does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetters)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

describeEachDialect('household import (service)', (storage) => {
  beforeAll(async () => {
    await seedTestAreas(storage().db);
  });

  const importCsv = (text: string, options: { dryRun?: boolean; skipInvalid?: boolean } = {}) =>
    importHouseholdFile(
      storage(),
      systemActor,
      { format: 'csv', content: Buffer.from(text, 'utf8') },
      { clock, ...options },
    );

  it('reads Arabic headers and Arabic-Indic digits', async () => {
    const before = await countHouseholds(storage());
    const text = [
      'الاسم,اسم الأب,الكنية,الرقم الوطني,رقم الهاتف,عدد الأفراد,رمز المنطقة,الفئات',
      'سمير,خالد,العلي,٠١٢٣٤٥٦٧٨٩٠,٠٩٣٣ ١٢٣ ٤٥٦,٥,SY٠٦٠٠٠٠,مسنّون;displaced',
      'ليلى,حسن,الحسن,,,٣,sy060000,',
    ].join('\r\n');
    const report = await importCsv(text);
    expect(report).toMatchObject({ accepted: 2, committed: true, rows: 2, rejected: [] });
    expect(await countHouseholds(storage())).toBe(before + 2);
    const stored = await storage()
      .db.selectFrom('households')
      .select(['national_id', 'phone', 'household_size', 'area_pcode', 'id'])
      .where('national_id', '=', '01234567890')
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ phone: '+963933123456', household_size: 5, area_pcode: area });
    const tags = await storage()
      .db.selectFrom('household_tags')
      .select('tag')
      .where('household_id', '=', stored.id)
      .orderBy('tag')
      .execute();
    expect(tags.map((tag) => tag.tag)).toEqual(['displaced', 'elderly']);
  });

  it('reads English aliases in any case and spacing, with semicolons as delimiters', async () => {
    const text = [
      'First Name;FATHER_NAME;Surname;National ID;Mobile;Size;P-Code;Favourite colour',
      `رامي;عادل;السيد;${nextNationalId()};0944111222;2;${area};blue`,
    ].join('\n');
    const report = await importCsv(text);
    expect(report.accepted).toBe(1);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'Favourite colour',
        cell: 'H1',
        code: 'column-unknown',
      }),
    ]);
  });

  it('refuses a file that lacks a required column, naming it', async () => {
    await expect(
      importCsv('head_given_name,head_father_name,head_family_name,area_pcode\nأ,ب,ج,SY060000'),
    ).rejects.toMatchObject({
      code: 'validation-failed',
      issues: [{ path: '/columns/household_size', message: 'is a required column and is missing' }],
    });
  });

  it('reads an HXL row and numbers the rows after it from 3', async () => {
    const text = [
      'رب الأسرة (الاسم),الأب,العائلة الكبيرة,رقم,عدد,المكان',
      '#beneficiary+name+first,#beneficiary+name+father,#beneficiary+name+family,#beneficiary+id+national,#population+hh+size,#adm3+code',
      `وائل,سليم,النجار,${nextNationalId()},3,${area}`,
      `هدى,علي,النجار,${nextNationalId()},0,${area}`,
    ].join('\n');
    const report = await importCsv(text, { dryRun: true });
    expect(report.rows).toBe(2);
    expect(report.rejected).toEqual([
      expect.objectContaining({
        row: 4,
        column: 'household_size',
        cell: 'E4',
        code: 'size-invalid',
      }),
    ]);
  });

  it('dry run checks everything and writes no household', async () => {
    const before = await countHouseholds(storage());
    const report = await importCsv(
      [canonicalHeader, csvRow({ given: 'نادر' }), csvRow({ given: 'نادية' })].join('\n'),
      { dryRun: true },
    );
    expect(report).toMatchObject({ accepted: 2, valid: 2, committed: false, dry_run: true });
    expect(await countHouseholds(storage())).toBe(before);
    const cards = await storage()
      .db.selectFrom('cards')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(cards.count)).toBe(before);
  });

  it('all or nothing: one bad row rejects the whole file, naming row and column', async () => {
    const before = await countHouseholds(storage());
    const report = await importCsv(
      [
        canonicalHeader,
        csvRow({ given: 'كريم' }),
        csvRow({ given: 'كمال', phone: '12' }),
        csvRow({ given: 'كوثر' }),
      ].join('\n'),
    );
    expect(report).toMatchObject({ accepted: 0, valid: 2, rejected_rows: 1, committed: false });
    expect(report.rejected).toEqual([
      { row: 3, column: 'phone', cell: 'G3', code: 'phone-invalid', message: expect.any(String) },
    ]);
    expect(await countHouseholds(storage())).toBe(before);
  });

  it('skip_invalid commits the valid rows and reports the rest', async () => {
    const before = await countHouseholds(storage());
    const report = await importCsv(
      [
        canonicalHeader,
        csvRow({ given: 'فادي' }),
        csvRow({ given: 'فاتن', area: 'SY99' }),
        csvRow({ given: 'فراس' }),
      ].join('\n'),
      { skipInvalid: true },
    );
    expect(report).toMatchObject({ accepted: 2, committed: true, rejected_rows: 1 });
    expect(report.rejected).toEqual([
      expect.objectContaining({ row: 3, column: 'area_pcode', code: 'area-unknown' }),
    ]);
    expect(await countHouseholds(storage())).toBe(before + 2);
  });

  it('rejects a national id repeated in the file, naming the other row', async () => {
    const repeated = nextNationalId();
    const report = await importCsv(
      [
        canonicalHeader,
        csvRow({ given: 'جميل', nationalId: repeated }),
        csvRow({ given: 'جمال' }),
        csvRow({ given: 'جميلة', family: 'الأسعد', nationalId: repeated }),
      ].join('\n'),
      { dryRun: true },
    );
    expect(report.rejected).toEqual([
      {
        row: 4,
        column: 'national_id',
        cell: 'F4',
        code: 'duplicate-national-id',
        message: 'is repeated from row 2',
      },
    ]);
    expect(report.duplicates).toContainEqual({ row: 4, other_row: 2, reason: 'national_id' });
  });

  it('rejects a national id already registered, naming the household', async () => {
    const nationalId = nextNationalId();
    const [existing] = await writeTransaction(storage(), (trx) =>
      createHouseholds(
        trx,
        systemActor,
        [
          {
            head_given_name: 'منير',
            head_father_name: 'سعيد',
            head_family_name: 'الزين',
            national_id: nationalId,
            household_size: 3,
            area_pcode: area,
          },
        ],
        { clock },
      ),
    );
    if (!existing?.ok) throw new Error('setup failed');
    const report = await importCsv(
      [canonicalHeader, csvRow({ given: 'منيرة', nationalId })].join('\n'),
      { dryRun: true },
    );
    expect(report.rejected).toEqual([
      expect.objectContaining({ row: 2, column: 'national_id', code: 'duplicate-national-id' }),
    ]);
    expect(report.duplicates).toEqual([
      { row: 2, existing_household_id: existing.id, reason: 'national_id' },
    ]);
  });

  it('reports likely duplicates within the file', async () => {
    const report = await importCsv(
      [
        canonicalHeader,
        csvRow({ given: 'عبد الله', father: 'يوسف', family: 'المصري', size: '6' }),
        csvRow({ given: 'عبدالله', father: 'يوسف', family: 'مصري', size: '6' }),
      ].join('\n'),
      { dryRun: true },
    );
    expect(report.duplicates).toEqual([
      expect.objectContaining({ row: 3, other_row: 2, reason: expect.stringContaining('name') }),
    ]);
    expect(report.accepted).toBe(2);
  });

  it('imports an XLSX written with exceljs (numbers, text and a rich-text cell)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('الأسر');
    sheet.addRow([
      'head_given_name',
      'head_father_name',
      'head_family_name',
      'national_id',
      'phone',
      'household_size',
      'area_pcode',
      'tags',
    ]);
    const nationalId = nextNationalId();
    sheet.addRow(['تيسير', 'نبيل', 'الحلبي', Number(nationalId), 955123456, 7, area, 'orphans']);
    sheet.addRow([
      { richText: [{ text: 'رو' }, { text: 'لا' }] },
      'مازن',
      'الحلبي',
      nextNationalId(),
      '0955 123 457',
      '٢',
      area,
      null,
    ]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const report = await importHouseholdFile(
      storage(),
      systemActor,
      { format: 'xlsx', content: file },
      { clock },
    );
    expect(report).toMatchObject({ accepted: 2, committed: true, rejected: [] });
    const stored = await storage()
      .db.selectFrom('households')
      .select(['head_given_name', 'phone', 'household_size'])
      .where('national_id', '=', nationalId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ head_given_name: 'تيسير', phone: '+963955123456', household_size: 7 });
    const second = await storage()
      .db.selectFrom('households')
      .select(['head_given_name'])
      .where('phone', '=', '+963955123457')
      .executeTakeFirstOrThrow();
    expect(second.head_given_name).toBe('رولا');
  });

  it('refuses bytes that are not an XLSX workbook', async () => {
    await expect(
      importHouseholdFile(
        storage(),
        systemActor,
        { format: 'xlsx', content: Buffer.from('not a zip at all') },
        { clock },
      ),
    ).rejects.toMatchObject({ code: 'validation-failed' });
  });

  it('reads a Windows-1256 CSV (what Arabic Excel saves as "CSV")', async () => {
    // "الاسم" and "محمد" in Windows-1256.
    const header = Buffer.from([0xc7, 0xe1, 0xc7, 0xd3, 0xe3]);
    const name = Buffer.from([0xe3, 0xcd, 0xe3, 0xcf]);
    const text = Buffer.concat([header, Buffer.from(',father\n'), name, Buffer.from(',x\n')]);
    const rows = [];
    for await (const row of readSheetRows(text, 'csv')) rows.push(row);
    expect(rows).toEqual([
      { number: 1, cells: ['الاسم', 'father'] },
      { number: 2, cells: ['محمد', 'x'] },
    ]);
  });

  it('records one audit event per import with counts and no values', async () => {
    const nationalId = nextNationalId();
    await importCsv([canonicalHeader, csvRow({ given: 'بشير', nationalId })].join('\n'));
    const event = await storage()
      .db.selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'household.import')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    const fields = JSON.parse(event.fields_json) as string[];
    expect(fields).toEqual(expect.arrayContaining(['outcome:committed', 'rows:1', 'accepted:1']));
    expect(event.fields_json).not.toContain(nationalId);
    expect(event.fields_json).not.toContain('بشير');
  });
});

describeEachDialect('household files HTTP', (storage) => {
  let app: AwnApp;
  let registrar: SignedIn;
  let auditor: SignedIn;
  let volunteer: SignedIn;

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    app = await buildTestApp(storage(), { clock });
    registrar = await loginAs(app, storage(), 'registrar', [testAreas.governorate]);
    auditor = await loginAs(app, storage(), 'auditor');
    volunteer = await loginAs(app, storage(), 'volunteer');
  });
  afterAll(async () => {
    await app.close();
  });

  const upload = (who: SignedIn, query: string, body: string | Buffer, type = mediaTypes.csv) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/imports/households${query}`,
      headers: { ...who.headers, 'content-type': type },
      payload: body,
    });

  it('imports a CSV body and answers the report', async () => {
    const response = await upload(
      registrar,
      '?dry_run=false&skip_invalid=false',
      [canonicalHeader, csvRow({ given: 'هشام' })].join('\n'),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      accepted: 1,
      rejected: [],
      duplicates: [],
      committed: true,
    });
  });

  it('answers 400 naming a missing column, 415 for other media types, 403 for other roles', async () => {
    const missing = await upload(registrar, '', 'head_given_name,household_size\nأحمد,3');
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json().detail).toContain('head_father_name');
    expect(missing.json().errors).toContainEqual({
      path: '/columns/area_pcode',
      message: 'is a required column and is missing',
    });

    const json = await upload(registrar, '', '{"a":1}', 'application/json');
    expect(json.statusCode).toBe(415);

    const forbidden = await upload(volunteer, '', canonicalHeader);
    expect(forbidden.statusCode).toBe(403);
    const auditorImport = await upload(auditor, '', canonicalHeader);
    expect(auditorImport.statusCode).toBe(403);
  });

  it('accepts a body past the default 1 MiB limit', async () => {
    const notes = 'ملاحظة '.repeat(200_000);
    const response = await upload(
      registrar,
      '?dry_run=true',
      `${canonicalHeader},notes\n${csvRow({ given: 'يامن' })},${notes}\n`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ accepted: 1, rows: 1 });
  });

  it('accepts an XLSX body', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('households');
    sheet.addRow(canonicalHeader.split(','));
    sheet.addRow(csvRow({ given: 'زياد' }).split(','));
    const response = await upload(
      registrar,
      '?dry_run=true',
      Buffer.from(await workbook.xlsx.writeBuffer()),
      mediaTypes.xlsx,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ accepted: 1, dry_run: true, committed: false });
  });

  it('serves the template with the canonical header (and an HXL row on request)', async () => {
    const csv = await app.inject({
      method: 'GET',
      url: '/api/v1/imports/households/template.csv?hxl=true',
      headers: { cookie: volunteer.cookie },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    // Every field is quoted (see csvLine).
    const lines = csv.body
      .replace(/^\uFEFF/u, '')
      .replaceAll('"', '')
      .split('\r\n');
    expect(lines[0]).toBe(canonicalHeader);
    expect(lines[1]).toMatch(/^#beneficiary\+id\+card,#beneficiary\+name\+first,/u);

    const xlsx = await app.inject({
      method: 'GET',
      url: '/api/v1/imports/households/template.xlsx',
      headers: { cookie: registrar.cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    const rows = [];
    for await (const row of readSheetRows(xlsx.rawPayload, 'xlsx')) rows.push(row);
    expect(rows).toEqual([{ number: 1, cells: canonicalHeader.split(',') }]);
  });

  it('exports CSV and XLSX with formula cells neutralised, logging each read', async () => {
    const nationalId = nextNationalId();
    const created = await upload(
      registrar,
      '',
      [
        canonicalHeader,
        csvRow({
          given: '=HYPERLINK("http://x")',
          family: 'الشامي',
          nationalId,
          phone: '0933000111',
          address: '@SUM(1)',
          tags: 'elderly',
        }),
      ].join('\n'),
    );
    expect(created.json()).toMatchObject({ accepted: 1 });
    const id = (
      await storage()
        .db.selectFrom('households')
        .select('id')
        .where('national_id', '=', nationalId)
        .executeTakeFirstOrThrow()
    ).id;

    const csv = await app.inject({
      method: 'GET',
      url: `/api/v1/exports/households.csv?q=${nationalId}&hxl=true`,
      headers: { cookie: auditor.cookie },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="households-2026-11-29\.csv"$/u,
    );
    const rows = [];
    for await (const row of readSheetRows(csv.rawPayload, 'csv')) rows.push(row.cells);
    expect(rows[0]).toEqual([...canonicalHeader.split(','), 'id', 'status']);
    expect(rows[1]?.[1]).toBe('#beneficiary+name+first');
    expect(rows).toHaveLength(3);
    expect(rows[2]).toEqual(
      expect.arrayContaining([
        `'=HYPERLINK("http://x")`,
        "'+963933000111",
        "'@SUM(1)",
        nationalId,
        'elderly',
        id,
        'active',
      ]),
    );

    const xlsx = await app.inject({
      method: 'GET',
      url: `/api/v1/exports/households.xlsx?q=${nationalId}`,
      headers: { cookie: registrar.cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe(mediaTypes.xlsx);
    const sheetRows = [];
    for await (const row of readSheetRows(await collect(xlsx.stream()), 'xlsx')) {
      sheetRows.push(row.cells);
    }
    expect(sheetRows).toHaveLength(2);
    expect(sheetRows[1]?.[1]).toBe(`'=HYPERLINK("http://x")`);

    const reads = await storage()
      .db.selectFrom('audit_events')
      .select(['actor_id', 'fields_json'])
      .where('action', '=', 'read')
      .where('entity_id', '=', id)
      .execute();
    expect(reads.map((read) => read.actor_id).sort()).toEqual(
      [auditor.user.id, registrar.user.id].sort(),
    );
    expect(reads[0]?.fields_json).toContain('national_id');
  });

  it('export refuses a bad filter with 400 and other roles with 403', async () => {
    const unknownArea = await app.inject({
      method: 'GET',
      url: '/api/v1/exports/households.csv?area=SY99',
      headers: { cookie: registrar.cookie },
    });
    expect(unknownArea.statusCode).toBe(400);
    const forbidden = await app.inject({
      method: 'GET',
      url: '/api/v1/exports/households.csv',
      headers: { cookie: volunteer.cookie },
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('an exported file imports back (the neutralised cells restored)', async () => {
    const nationalId = nextNationalId();
    await upload(
      registrar,
      '',
      [canonicalHeader, csvRow({ given: 'غسان', nationalId, phone: '0933000222' })].join('\n'),
    );
    const exported = await app.inject({
      method: 'GET',
      url: `/api/v1/exports/households.csv?q=${nationalId}`,
      headers: { cookie: registrar.cookie },
    });
    const again = await upload(registrar, '?dry_run=true', exported.rawPayload);
    // The same household: refused as a duplicate, with the phone read back as +963….
    expect(again.json().rejected).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 2, column: 'national_id', code: 'duplicate-national-id' }),
        expect.objectContaining({ row: 2, column: 'card_number', code: 'duplicate-card-number' }),
      ]),
    );
    expect(again.json().rejected).toHaveLength(2);
    expect(again.json().warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 1, column: 'id', code: 'column-unknown' }),
      ]),
    );
  });
});
