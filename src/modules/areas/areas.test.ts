import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { Actor, Scope } from '../../domain/actor.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Role } from '../../shared/roles.js';
import { countAreas } from './areas.repository.js';
import {
  createCommunity,
  getArea,
  importAreas,
  listAreas,
  loadShippedAreas,
  readShippedAreas,
} from './areas.service.js';
import { parseAreaFile } from './areas.file.js';
import { deriveShippedAreas } from './build-shipped-areas.js';

const clock = () => new Date('2026-03-01T08:00:00.000Z');

function actorWith(scope: Scope, role: Role = 'admin'): Actor {
  return { kind: 'user', userId: 'user-1', role, scope, requestId: 'request-1' };
}
const everywhere = actorWith({ kind: 'all' });

/** Runs `work` and returns the ValidationError it throws. */
async function validationIssues(work: () => Promise<unknown>): Promise<ValidationError['issues']> {
  const error = await work().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues;
}

describe('shipped areas file', () => {
  it('holds 14 governorates, 62 districts and 272 subdistricts with Lattakia as SY06', async () => {
    const rows = (await readShippedAreas()).map(({ area }) => area);
    const count = (level: string) => rows.filter((row) => row.level === level).length;
    expect([count('governorate'), count('district'), count('subdistrict')]).toEqual([14, 62, 272]);
    expect(rows.find((row) => row.pcode === 'SY06')?.name_ar).toBe('اللاذقية');
    expect(rows.find((row) => row.pcode === 'SY07')?.name_ar).toBe('إدلب');
  });
});

describe('deriveShippedAreas', () => {
  const area = (id: string, pcode: string, links: Record<string, string> = {}) => ({
    id,
    ...links,
    name: { ar: `اسم ${id}`, en: ` ${id} ` },
    centroid: { latitude: 1, longitude: 2 },
    externalIds: { ochaPcode: pcode },
  });

  it('links parents by id and puts parents first', () => {
    const rows = deriveShippedAreas(
      [area('g', 'XX01')],
      [area('d', 'XX0100', { governorateId: 'g' })],
      [area('s', 'XX010000', { governorateId: 'g', districtId: 'd' })],
    );
    expect(rows.map((row) => [row.pcode, row.parent_pcode, row.level, row.name_en])).toEqual([
      ['XX01', null, 'governorate', 'g'],
      ['XX0100', 'XX01', 'district', 'd'],
      ['XX010000', 'XX0100', 'subdistrict', 's'],
    ]);
  });

  it("refuses a p-code that is not under its parent's", () => {
    expect(() =>
      deriveShippedAreas([area('g', 'XX01')], [area('d', 'XX0200', { governorateId: 'g' })], []),
    ).toThrow(/not under its parent/);
  });
});

describe('parseAreaFile', () => {
  const header = 'pcode,parent_pcode,level,name_ar,name_en,latitude,longitude';

  it('numbers CSV rows as a spreadsheet does (header is row 1)', () => {
    const text = [header, 'XX01,,governorate,أ,A,1,2', 'XX0100,XX01,district,ب,B,,'].join('\n');
    expect(parseAreaFile(text, 'csv').map(({ row }) => row)).toEqual([2, 3]);
  });

  it('lists every bad cell with its row and column', () => {
    const text = [
      header,
      'XX01,,governorate,أ,A,1,2',
      'xx02,,governorate,ب,B,,',
      'XX0100,,district,ج,C,91,2',
      'XX01,,region,,D,1,',
    ].join('\n');
    let error: unknown;
    try {
      parseAreaFile(text, 'csv');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'row 3, column pcode',
      'row 4, column parent_pcode',
      'row 4, column latitude',
      'row 5, column pcode',
      'row 5, column level',
      'row 5, column name_ar',
      'row 5, column longitude',
    ]);
  });

  it('accepts a CSV without the centroid columns, and a kind for communities', () => {
    const text = [
      'pcode,parent_pcode,level,name_ar,name_en,kind',
      'XX01,,governorate,أ,A,',
      'XX01-1,XX01,community,ب,B,farm',
    ].join('\n');
    expect(parseAreaFile(text, 'csv').map(({ area }) => [area.latitude, area.kind])).toEqual([
      [null, null],
      [null, 'farm'],
    ]);
  });

  it('rejects unknown and missing columns', () => {
    expect(() => parseAreaFile('pcode,level,name_ar,name_en,colour\n', 'csv')).toThrow(
      ValidationError,
    );
  });

  it('reads a JSON array and names unknown keys by row', () => {
    expect(() =>
      parseAreaFile(
        JSON.stringify([{ pcode: 'XX01', level: 'governorate', name_ar: 'أ', name_en: 'A', x: 1 }]),
        'json',
      ),
    ).toThrow(ValidationError);
    const rows = parseAreaFile(
      JSON.stringify([{ pcode: 'XX01', level: 'governorate', name_ar: 'أ', name_en: 'A' }]),
      'json',
    );
    expect(rows[0]?.row).toBe(1);
  });
});

describeEachDialect('areas', (storage) => {
  it('loads the shipped areas with their counts, parents and paths', async () => {
    expect(await loadShippedAreas(storage(), clock)).toEqual({ created: 348, existing: 0 });
    const db = storage().db;
    const count = async (level: string) =>
      (
        await db
          .selectFrom('areas')
          .select('pcode')
          .where('level', '=', level as 'district')
          .execute()
      ).length;
    expect([
      await count('governorate'),
      await count('district'),
      await count('subdistrict'),
    ]).toEqual([14, 62, 272]);
    const lattakia = await db
      .selectFrom('areas')
      .select(['level'])
      .where('path', 'like', '/SY06/%')
      .execute();
    expect(lattakia.filter((row) => row.level === 'district')).toHaveLength(4);
    expect(lattakia.filter((row) => row.level === 'subdistrict')).toHaveLength(22);
    const district = await getArea(db, 'SY0600');
    expect(district).toMatchObject({
      parent_pcode: 'SY06',
      level: 'district',
      path: '/SY06/SY0600/',
    });
    expect((await getArea(db, 'SY060000')).path).toBe('/SY06/SY0600/SY060000/');
  });

  it('loads again without changing anything or logging anything', async () => {
    const events = await storage().db.selectFrom('audit_events').select('seq').execute();
    expect(await loadShippedAreas(storage(), clock)).toEqual({ created: 0, existing: 348 });
    expect(await storage().db.selectFrom('audit_events').select('seq').execute()).toHaveLength(
      events.length,
    );
  });

  it('lists children, levels and matches names however hamza and teh marbuta are typed', async () => {
    const db = storage().db;
    const districts = await listAreas(db, { parent: 'SY06' });
    expect(districts.map((area) => area.pcode)).toEqual(['SY0600', 'SY0602', 'SY0603', 'SY0604']);
    expect(await listAreas(db, { level: 'governorate' })).toHaveLength(14);
    const byArabic = await listAreas(db, { q: 'اللاذقيه', level: 'governorate' });
    expect(byArabic.map((area) => area.pcode)).toEqual(['SY06']);
    const idleb = await listAreas(db, { q: 'ادلب', level: 'governorate' });
    expect(idleb.map((area) => area.pcode)).toEqual(['SY07']);
    const byPcode = await listAreas(db, { q: 'sy0602', level: 'subdistrict' });
    expect(byPcode).toHaveLength(6);
    expect(await listAreas(db, { q: 'jableh', limit: 1 })).toHaveLength(1);
  });

  it('adds a community under a subdistrict, with its path and an audit event', async () => {
    const area = await createCommunity(
      storage(),
      everywhere,
      {
        pcode: 'SY060000-91',
        parent_pcode: 'SY060000',
        kind: 'neighbourhood',
        name_ar: ' الصليبة ',
        name_en: 'Al-Sleibeh',
        latitude: 35.518,
        longitude: 35.784,
      },
      clock,
    );
    expect(area).toEqual({
      pcode: 'SY060000-91',
      parent_pcode: 'SY060000',
      level: 'community',
      kind: 'neighbourhood',
      name_ar: 'الصليبة',
      name_en: 'Al-Sleibeh',
      latitude: 35.518,
      longitude: 35.784,
      path: '/SY06/SY0600/SY060000/SY060000-91/',
    });
    const event = await storage()
      .db.selectFrom('audit_events')
      .selectAll()
      .where('entity_id', '=', 'SY060000-91')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ action: 'area.create', entity: 'area', actor_id: 'user-1' });
    expect(JSON.parse(event.fields_json)).toContain('name_ar');
    expect(event.fields_json).not.toContain('الصليبة');
  });

  it('refuses a community whose parent is not a subdistrict, or unknown', async () => {
    const input = {
      pcode: 'SY0600-92',
      parent_pcode: 'SY0600',
      kind: 'village' as const,
      name_ar: 'قرية',
      name_en: 'Village',
    };
    expect(
      await validationIssues(() => createCommunity(storage(), everywhere, input, clock)),
    ).toEqual([{ path: '/parent_pcode', message: 'must be a subdistrict (it is a district)' }]);
    const unknown = { ...input, parent_pcode: 'SY069999' };
    expect(
      (await validationIssues(() => createCommunity(storage(), everywhere, unknown, clock)))[0]
        ?.path,
    ).toBe('/parent_pcode');
    const halfLocated = { ...input, parent_pcode: 'SY060001', latitude: 35.6 };
    expect(
      (await validationIssues(() => createCommunity(storage(), everywhere, halfLocated, clock)))[0]
        ?.path,
    ).toBe('/longitude');
    expect(await countAreas(storage().db)).toBe(349);
  });

  it('answers a duplicate p-code with 409 area-exists', async () => {
    const input = {
      pcode: 'SY060000-91',
      parent_pcode: 'SY060001',
      kind: 'farm' as const,
      name_ar: 'مزرعة',
      name_en: 'Farm',
    };
    const error = await createCommunity(storage(), everywhere, input, clock).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('area-exists');
  });

  it('lets a scoped coordinator add communities only inside the scope', async () => {
    const coordinator = actorWith({ kind: 'areas', paths: ['/SY06/SY0602/'] }, 'coordinator');
    const input = {
      pcode: 'SY060200-93',
      parent_pcode: 'SY060200',
      kind: 'village' as const,
      name_ar: 'سيانو',
      name_en: 'Siyano',
    };
    await expect(createCommunity(storage(), coordinator, input, clock)).resolves.toMatchObject({
      path: '/SY06/SY0602/SY060200/SY060200-93/',
    });
    const outside = { ...input, pcode: 'SY060000-93', parent_pcode: 'SY060000' };
    await expect(createCommunity(storage(), coordinator, outside, clock)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('imports another country from CSV, parents before children, keeping existing rows', async () => {
    const csv = [
      'pcode,parent_pcode,level,name_ar,name_en,latitude,longitude',
      'LB1,,governorate,بيروت,Beirut,33.89,35.5',
      'LB11,LB1,district,بيروت,Beirut,,',
      'LB1101,LB11,subdistrict,الأشرفية,Achrafieh,33.888,35.52',
      '"LB1101-01",LB1101,community,"السيوفي, الأعلى",Sioufi,,',
    ].join('\r\n');
    const result = await importAreas(storage(), everywhere, { text: csv, format: 'csv' }, clock);
    expect(result).toEqual({ created: 4, existing: 0 });
    expect((await getArea(storage().db, 'LB1101-01')).path).toBe('/LB1/LB11/LB1101/LB1101-01/');
    expect((await getArea(storage().db, 'LB1101-01')).name_ar).toBe('السيوفي, الأعلى');
    const again = await importAreas(storage(), everywhere, { text: csv, format: 'csv' }, clock);
    expect(again).toEqual({ created: 0, existing: 4 });
  });

  it('imports all or nothing, naming the row and column of each problem', async () => {
    const before = await countAreas(storage().db);
    const csv = [
      'pcode,parent_pcode,level,name_ar,name_en,latitude,longitude',
      'JO1,,governorate,عمان,Amman,31.95,35.93',
      'JO11,JO1,district,قصبة عمان,Qasabat Amman,,',
      'JO1101,JO11,subdistrict,المدينة,Al-Madina,,',
      'JO1102,JO11,subdistrict,بسمان,Basman,,',
      'JO1103,JO11,subdistrict,ماركا,Marka,,',
      'JO1104,JO99,subdistrict,النصر,Al-Nasr,,',
      'JO1105,JO1,subdistrict,اليرموك,Al-Yarmouk,,',
      'JO1106,JO12,subdistrict,وادي السير,Wadi as-Sir,,',
      'JO12,JO1,district,وادي السير,Wadi as-Sir,,',
      'LB11,JO1,district,بيروت,Beirut,,',
    ].join('\n');
    const issues = await validationIssues(() =>
      importAreas(storage(), everywhere, { text: csv, format: 'csv' }, clock),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'row 7, column parent_pcode',
      'row 8, column parent_pcode',
      'row 9, column parent_pcode',
      'row 11, column parent_pcode',
    ]);
    expect(issues[1]?.message).toBe('must be a district (JO1 is a governorate)');
    expect(await countAreas(storage().db)).toBe(before);
    expect(
      await storage()
        .db.selectFrom('areas')
        .select('pcode')
        .where('pcode', 'like', 'JO%')
        .execute(),
    ).toEqual([]);
  });

  it('imports a JSON array in the same shape', async () => {
    const rows = [
      {
        pcode: 'IQ1',
        parent_pcode: null,
        level: 'governorate',
        name_ar: 'بغداد',
        name_en: 'Baghdad',
        latitude: 33.3,
        longitude: 44.4,
      },
      {
        pcode: 'IQ11',
        parent_pcode: 'IQ1',
        level: 'district',
        name_ar: 'الكرخ',
        name_en: 'Karkh',
        latitude: null,
        longitude: null,
      },
    ];
    await expect(
      importAreas(storage(), everywhere, { text: JSON.stringify(rows), format: 'json' }, clock),
    ).resolves.toEqual({ created: 2, existing: 0 });
    const event = await storage()
      .db.selectFrom('audit_events')
      .select(['action', 'entity'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ action: 'area.import', entity: 'area' });
  });
});
