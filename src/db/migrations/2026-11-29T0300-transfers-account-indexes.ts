// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// Drops transfers_debit and transfers_credit. No query reads transfers by account, yet every
// transfer inserted into both at a random place: two B-tree inserts per transfer, and at each
// commit every index page they touched, a share that grows with the ledger. The foreign keys
// need no index on the referencing side: accounts are never deleted and their ids never change.
// A future account statement should add the index it reads, shaped for its query.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('transfers_debit').execute();
  await db.schema.dropIndex('transfers_credit').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('transfers_debit')
    .on('transfers')
    .column('debit_account_id')
    .execute();
  await db.schema
    .createIndex('transfers_credit')
    .on('transfers')
    .column('credit_account_id')
    .execute();
}
