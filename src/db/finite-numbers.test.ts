import { Migrator, sql, type MigrationProvider } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/helpers/database.js';
import { connect, migrateToLatest, type Storage } from './connect.js';
import { migrations } from './migrations/index.js';
import { inject } from 'vitest';

const provider: MigrationProvider = { getMigrations: async () => migrations };

for (const dialect of dialects) {
  const available = dialect === 'sqlite' || inject('postgresUrl') !== null;
  (available ? describe : describe.skip)(`migration to finite numbers [${dialect}]`, () => {
    let database: TestDatabase;
    let storage: Storage;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      storage = await connect(database.url, { migrate: false });
    });
    afterAll(async () => {
      await storage.close();
      await database.drop();
    });

    it('repairs stored non-finite numbers, then the database refuses them', async () => {
      const migrator = new Migrator({ db: storage.db, provider });
      const before = await migrator.migrateTo('2026-12-07T0100-audit-seq-rowid');
      expect(before.error).toBeUndefined();
      const at = '2026-01-01T00:00:00.000Z';
      const infinity = dialect === 'sqlite' ? sql`9e999` : sql`'Infinity'::float8`;
      await sql`insert into areas (pcode, parent_pcode, level, kind, name_ar, name_en, latitude, longitude, path, created_at)
        values ('BAD', null, 'governorate', null, 'ب', 'B', ${infinity}, 1, '/BAD/', ${at}),
               ('GOOD', null, 'governorate', null, 'ج', 'G', 35.5, 35.8, '/GOOD/', ${at})`.execute(
        storage.db,
      );
      if (dialect === 'sqlite') {
        await sql`insert into commodities (code, name_ar, name_en, base_unit, display_unit, display_scale, created_at)
          values ('sugar', 'سكر', 'Sugar', 'g', 'kg', 9e999, ${at})`.execute(storage.db);
      }

      await migrateToLatest(storage.db);

      const areas = await storage.db
        .selectFrom('areas')
        .select(['pcode', 'latitude', 'longitude'])
        .orderBy('pcode')
        .execute();
      expect(areas).toEqual([
        { pcode: 'BAD', latitude: null, longitude: null },
        { pcode: 'GOOD', latitude: 35.5, longitude: 35.8 },
      ]);
      if (dialect === 'sqlite') {
        const sugar = await storage.db
          .selectFrom('commodities')
          .select('display_scale')
          .executeTakeFirstOrThrow();
        expect(sugar.display_scale).toBe(1);
        await expect(
          sql`update commodities set display_scale = 1.5`.execute(storage.db),
        ).rejects.toThrow(/CHECK constraint failed/u);
      }
      await expect(
        sql`update areas set latitude = ${infinity} where pcode = 'GOOD'`.execute(storage.db),
      ).rejects.toThrow(/check constraint|CHECK constraint failed/iu);
      await expect(
        sql`update areas set longitude = 181 where pcode = 'GOOD'`.execute(storage.db),
      ).rejects.toThrow(/check constraint|CHECK constraint failed/iu);
      await expect(
        sql`insert into areas (pcode, parent_pcode, level, kind, name_ar, name_en, latitude, longitude, path, created_at)
          values ('WORSE', null, 'governorate', null, 'ب', 'B', 1, ${infinity}, '/WORSE/', ${at})`.execute(
          storage.db,
        ),
      ).rejects.toThrow(/check constraint|CHECK constraint failed/iu);
    });
  });
}
