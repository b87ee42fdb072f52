/** A fresh database per suite, on every dialect: SQLite in a temp file, PostgreSQL in its own database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { connect, type Dialect, type Storage } from '../../src/db/connect.js';

export const dialects: Dialect[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  /** What to pass to `connect` (or `--database`) to open this database again. */
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database of the dialect; the caller drops it. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'awn-test-'));
    return {
      url: join(folder, 'awn.sqlite'),
      drop: async () => rmSync(folder, { recursive: true, force: true }),
    };
  }
  const adminUrl = inject('postgresUrl');
  if (!adminUrl) throw new Error('PostgreSQL is not available for this run');
  const name = `awn_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Opens (and migrates) a fresh test database of the dialect; closing it also drops it. */
export async function openTestStorage(dialect: Dialect, poolSize = 10): Promise<Storage> {
  const database = await createTestDatabase(dialect);
  const storage = await connect(database.url, { poolSize });
  return {
    ...storage,
    close: async () => {
      await storage.close();
      await database.drop();
    },
  };
}

/**
 * Declares the suite once per dialect, each with its own fresh database.
 * The PostgreSQL copy is skipped (and global-setup says so) only when PostgreSQL is not required.
 */
export function describeEachDialect(
  title: string,
  suite: (storage: () => Storage, dialect: Dialect) => void,
): void {
  for (const dialect of dialects) {
    const available = dialect === 'sqlite' || inject('postgresUrl') !== null;
    (available ? describe : describe.skip)(`${title} [${dialect}]`, () => {
      let storage: Storage | undefined;
      beforeAll(async () => {
        storage = await openTestStorage(dialect);
      });
      afterAll(async () => {
        await storage?.close();
      });
      suite(() => {
        if (!storage) throw new Error('test storage is not open yet');
        return storage;
      }, dialect);
    });
  }
}
