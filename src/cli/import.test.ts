import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/database.js';
import { seedTestAreas, testAreas } from '../modules/households/households.factories.js';
import { importHouseholdsCommand, type CommandOutput } from './import.js';

const clock = () => new Date('2026-11-29T10:00:00.000Z');
const header =
  'head_given_name,head_father_name,head_family_name,national_id,household_size,area_pcode';

function capture(): CommandOutput & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    log: (line) => lines.push(line),
    error: (line) => errors.push(line),
    progress: false,
    clock,
  };
}

describeEachDialect('awn import households', (storage) => {
  let folder: string;
  const file = (name: string, text: string): string => {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };
  const count = async () =>
    Number(
      (
        await storage()
          .db.selectFrom('households')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow()
      ).count,
    );

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'awn-import-cli-'));
    await seedTestAreas(storage().db);
  });
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('exits 0 when every row is imported, and writes the report on request', async () => {
    const output = capture();
    const path = file(
      'good.csv',
      `${header}\nعلي,أحمد,الخطيب,40000000001,3,${testAreas.subdistrict}\nسعاد,محمود,الخطيب,40000000002,2,${testAreas.community}\n`,
    );
    const reportPath = join(folder, 'report.json');
    expect(await importHouseholdsCommand(storage(), path, { report: reportPath }, output)).toBe(0);
    expect(output.lines[0]).toMatch(/^Imported 2 of 2 households/u);
    expect(JSON.parse(readFileSync(reportPath, 'utf8'))).toMatchObject({ accepted: 2 });
  });

  it('exits 0 for a clean dry run and writes nothing', async () => {
    const before = await count();
    const output = capture();
    const path = file(
      'dry.csv',
      `${header}\nرنا,سمير,الحاج,40000000003,4,${testAreas.subdistrict}\n`,
    );
    expect(await importHouseholdsCommand(storage(), path, { dryRun: true }, output)).toBe(0);
    expect(output.lines[0]).toMatch(/^Dry run: would import 1 of 1/u);
    expect(await count()).toBe(before);
  });

  it('exits 1 when rows are rejected, writing nothing (or the valid rows with --skip-invalid)', async () => {
    const text = `${header}\nمها,زياد,الحاج,40000000004,4,${testAreas.subdistrict}\nهبة,زياد,الحاج,4000,4,${testAreas.subdistrict}\n`;
    const before = await count();
    const refused = capture();
    expect(await importHouseholdsCommand(storage(), file('bad.csv', text), {}, refused)).toBe(1);
    expect(refused.errors[0]).toMatch(/^D3 national_id: rejected national-id-invalid/u);
    expect(refused.lines[0]).toMatch(/^Nothing imported/u);
    expect(await count()).toBe(before);

    const partial = capture();
    expect(
      await importHouseholdsCommand(
        storage(),
        file('bad.csv', text),
        { skipInvalid: true },
        partial,
      ),
    ).toBe(1);
    expect(partial.lines[0]).toMatch(/^Imported 1 of 2/u);
    expect(await count()).toBe(before + 1);
  });

  it('exits 2 when the file itself is refused', async () => {
    const missing = capture();
    const path = file('columns.csv', 'head_given_name,household_size\nعلي,3\n');
    expect(await importHouseholdsCommand(storage(), path, {}, missing)).toBe(2);
    expect(missing.errors.join('\n')).toContain('/columns/head_father_name');

    const extension = capture();
    expect(await importHouseholdsCommand(storage(), file('x.txt', header), {}, extension)).toBe(2);
    const absent = capture();
    expect(await importHouseholdsCommand(storage(), join(folder, 'none.csv'), {}, absent)).toBe(2);
  });
});
