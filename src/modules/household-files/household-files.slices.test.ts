/**
 * A large import runs in slices (issue 17): other requests are answered while it reads, checks
 * and writes; a failure midway, or a process that dies midway, leaves none of its households.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { Storage } from '../../db/connect.js';
import { uniqueViolationOf } from '../../db/errors.js';
import { writeTransaction } from '../../db/transaction.js';
import { systemActor } from '../../domain/actor.js';
import type { AwnApp } from '../../server/types.js';
import { seedTestAreas, testAreas } from '../households/households.factories.js';
import { createHouseholds } from '../households/households.registration.js';
import { csvLine } from './household-files.formats.js';
import {
  abandonedImportMs,
  importHouseholdFile,
  undoAbandonedImports,
  type ImportProgress,
} from './household-files.service.js';

const clock = () => new Date('2026-11-29T10:00:00.000Z');
const givenNames = ['أحمد', 'محمد', 'سمير', 'ليلى', 'فاطمة', 'خالد', 'عمر', 'مريم', 'يوسف', 'هدى'];
const familyNames = ['الخطيب', 'العلي', 'الحسن', 'الأحمد', 'السيد', 'النجار', 'الحلبي', 'الشامي'];

let fileNumber = 0;
/** A CSV of `rows` households with national ids unlike any other file's; and those ids. */
function householdsCsv(rows: number): { content: Buffer; nationalIds: string[] } {
  fileNumber += 1;
  const base = 40_000_000_000 + (Math.floor(Math.random() * 9_000) + fileNumber) * 1_000_000;
  const nationalIds: string[] = [];
  const lines = [
    csvLine([
      'head_given_name',
      'head_father_name',
      'head_family_name',
      'national_id',
      'household_size',
      'area_pcode',
    ]),
  ];
  for (let index = 0; index < rows; index += 1) {
    const nationalId = String(base + index);
    nationalIds.push(nationalId);
    lines.push(
      csvLine([
        givenNames[index % givenNames.length] ?? '',
        givenNames[Math.floor(index / 10) % givenNames.length] ?? '',
        familyNames[Math.floor(index / 100) % familyNames.length] ?? '',
        nationalId,
        String((index % 7) + 1),
        index % 2 === 0 ? testAreas.subdistrict : testAreas.community,
      ]),
    );
  }
  return { content: Buffer.from(lines.join(''), 'utf8'), nationalIds };
}

async function householdsWith(storage: Storage, nationalIds: readonly string[]): Promise<number> {
  let count = 0;
  for (let start = 0; start < nationalIds.length; start += 500) {
    const row = await storage.db
      .selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('national_id', 'in', nationalIds.slice(start, start + 500))
      .executeTakeFirstOrThrow();
    count += Number(row.count);
  }
  return count;
}

async function importsByStatus(storage: Storage): Promise<Record<string, number>> {
  const rows = await storage.db
    .selectFrom('household_imports')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

/** Households written by imports that did not commit (a committed one keeps its id on them). */
async function rowsOfUncommittedImports(storage: Storage): Promise<number> {
  const row = await storage.db
    .selectFrom('households')
    .innerJoin('household_imports', 'household_imports.id', 'households.import_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('household_imports.status', '<>', 'committed')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describeEachDialect('household import in slices', (storage) => {
  let app: AwnApp;
  beforeAll(async () => {
    await seedTestAreas(storage().db);
    app = await buildTestApp(storage(), { clock });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers other requests while it checks and writes, the event loop never held long', async () => {
    const rows = 2_000;
    const { content, nationalIds } = householdsCsv(rows);
    // A request sent as the checks start and one as the writes start, and when each answered.
    const answered: Record<string, number> = {};
    const probes: Promise<void>[] = [];
    let doneAt = 0;
    const probe = (name: string, request: () => Promise<unknown>) => {
      probes.push(
        request().then(() => {
          answered[name] = performance.now();
        }),
      );
    };
    const onProgress = (progress: ImportProgress) => {
      if (progress.phase === 'checking') {
        probe('healthz while checking', () => app.inject({ method: 'GET', url: '/healthz' }));
      } else if (progress.phase === 'writing' && probes.length === 1) {
        // A short write transaction, as the counter's: it must not wait for the import.
        probe('write while writing', () =>
          writeTransaction(storage(), (trx) =>
            trx.updateTable('areas').set({ name_en: 'x' }).where('pcode', '=', 'none').execute(),
          ),
        );
      } else if (progress.phase === 'done') doneAt = performance.now();
    };

    const delay = monitorEventLoopDelay({ resolution: 10 });
    const started = performance.now();
    delay.enable();
    const report = await importHouseholdFile(
      storage(),
      systemActor,
      { format: 'csv', content },
      { clock, onProgress },
    );
    delay.disable();
    const importMs = performance.now() - started;
    await Promise.all(probes);

    expect(report).toMatchObject({ committed: true, accepted: rows, rejected_rows: 0 });
    expect(await householdsWith(storage(), nationalIds)).toBe(rows);
    expect(Object.keys(answered).sort()).toEqual(['healthz while checking', 'write while writing']);
    // Both were answered while the import went on, not after it.
    for (const at of Object.values(answered)) expect(at).toBeLessThan(doneAt);
    // No stretch held the event loop for more than a fraction of the import (a bound loose
    // enough for a loaded machine; in one stretch the import would hold it throughout).
    const maxDelayMs = delay.max / 1e6;
    expect(maxDelayMs).toBeLessThan(Math.max(500, importMs / 4));
    expect(await importsByStatus(storage())).toMatchObject({ committed: 1 });
  });

  it('leaves nothing when a write fails midway (a national id registered meanwhile)', async () => {
    const { content, nationalIds } = householdsCsv(600);
    const last = nationalIds.at(-1) ?? '';
    const before = await importsByStatus(storage());
    let written = 0;
    const importing = importHouseholdFile(
      storage(),
      systemActor,
      { format: 'csv', content },
      {
        clock,
        onProgress: async (progress) => {
          if (progress.phase !== 'writing') return;
          written = progress.written;
          if (progress.written === progress.households || written > 16) return;
          // After the first slice: another registrar registers the file's last national id.
          const [registered] = await writeTransaction(storage(), (trx) =>
            createHouseholds(
              trx,
              systemActor,
              [
                {
                  head_given_name: 'سعاد',
                  head_father_name: 'علي',
                  head_family_name: 'القاسم',
                  national_id: last,
                  household_size: 2,
                  area_pcode: testAreas.subdistrict,
                },
              ],
              { clock },
            ),
          );
          expect(registered?.ok).toBe(true);
        },
      },
    );
    // The unique violation itself comes out (answered 409 over HTTP, as a race always is).
    const failure: unknown = await importing.then(
      () => null,
      (error: unknown) => error,
    );
    expect(uniqueViolationOf(failure)?.columns).toEqual(['national_id']);
    expect(written).toBeGreaterThan(0);
    // Only the household registered meanwhile is there; none of the import's.
    expect(await householdsWith(storage(), nationalIds)).toBe(1);
    expect(await rowsOfUncommittedImports(storage())).toBe(0);
    expect(await importsByStatus(storage())).toEqual({
      ...before,
      undone: (before.undone ?? 0) + 1,
    });
    const undo = await storage()
      .db.selectFrom('audit_events')
      .select('fields_json')
      .where('action', '=', 'household_import.undo')
      .execute();
    expect(undo.length).toBe(1);
  });

  it('undoes an import whose process stopped midway, once its heartbeat is old', async () => {
    const { content, nationalIds } = householdsCsv(600);
    let stop: (() => void) | undefined;
    let stopped: (() => void) | undefined;
    const hasStopped = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    // The import stops after a few slices, as a process killed there would.
    const importing = importHouseholdFile(
      storage(),
      systemActor,
      { format: 'csv', content },
      {
        clock,
        onProgress: (progress) => {
          if (progress.phase !== 'writing' || progress.written < 50 || stop) return undefined;
          stopped?.();
          return new Promise<void>((resolve) => {
            stop = resolve;
          });
        },
      },
    );
    await hasStopped;
    const partial = await householdsWith(storage(), nationalIds);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(600);
    expect(await rowsOfUncommittedImports(storage())).toBe(partial);

    // A live import (its heartbeat fresh) is left alone.
    expect(await undoAbandonedImports(storage(), clock)).toBe(0);
    expect(await householdsWith(storage(), nationalIds)).toBe(partial);
    // Past the limit, it is undone: nothing of it is left.
    const later = () => new Date(clock().getTime() + abandonedImportMs + 1_000);
    expect(await undoAbandonedImports(storage(), later)).toBe(1);
    expect(await householdsWith(storage(), nationalIds)).toBe(0);
    expect(await rowsOfUncommittedImports(storage())).toBe(0);

    // Should the import wake up, it stops at its next write and writes nothing more.
    stop?.();
    await expect(importing).rejects.toThrow(/undone/u);
    expect(await householdsWith(storage(), nationalIds)).toBe(0);
    expect((await importsByStatus(storage())).writing).toBeUndefined();
  });
});
