// Decides once per run whether the PostgreSQL suite runs; in CI it must (AWN_REQUIRE_POSTGRES=1).
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

export const defaultTestPostgresUrl = 'postgres://postgres@127.0.0.1:5432/test';

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.AWN_TEST_DATABASE_URL ?? defaultTestPostgresUrl;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    project.provide('postgresUrl', url);
  } catch (error) {
    if (process.env.AWN_REQUIRE_POSTGRES === '1') {
      throw new Error(
        `AWN_REQUIRE_POSTGRES=1 but PostgreSQL at ${url} is unreachable: ${String(error)}`,
      );
    }
    console.warn(
      `\n*** PostgreSQL at ${url} is unreachable: the PostgreSQL suite is SKIPPED; only SQLite runs. ***\n`,
    );
    project.provide('postgresUrl', null);
  } finally {
    await client.end().catch(() => undefined);
  }
}
