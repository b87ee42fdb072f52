// Frozen in time: imports nothing from the app.
// SQLite only: audit_events.seq becomes the table's rowid. Declared "bigint primary key", it
// was an ordinary column with a unique index of its own beside the table, one more B-tree
// (and page written) for every append; "integer primary key" is the rowid itself. The table is
// rebuilt with the same columns, rows and index. PostgreSQL keeps its bigint primary key.
import { SqliteAdapter, sql, type Kysely } from 'kysely';

const columns =
  'at text not null, actor_id text, action text not null, entity text not null, entity_id text, fields_json text not null, request_id text, previous_hash text not null, hash text not null';
const names =
  'seq, at, actor_id, action, entity, entity_id, fields_json, request_id, previous_hash, hash';

async function rebuild(db: Kysely<unknown>, seqType: 'integer' | 'bigint'): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql
    .raw(`create table audit_events_rebuilt (seq ${seqType} primary key, ${columns})`)
    .execute(db);
  await sql
    .raw(`insert into audit_events_rebuilt (${names}) select ${names} from audit_events`)
    .execute(db);
  await sql`drop table audit_events`.execute(db);
  await sql`alter table audit_events_rebuilt rename to audit_events`.execute(db);
  await sql`create index audit_events_entity on audit_events (entity, entity_id)`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await rebuild(db, 'integer');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await rebuild(db, 'bigint');
}
