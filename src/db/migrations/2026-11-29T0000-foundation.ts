// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('commodities')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('base_unit', 'text', (c) => c.notNull())
    .addColumn('display_unit', 'text', (c) => c.notNull())
    .addColumn('display_scale', 'integer', (c) => c.notNull().check(sql`display_scale > 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Flags: 1 debits must not exceed credits, 2 credits must not exceed debits, 4 closed.
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('commodity', 'text', (c) => c.notNull().references('commodities.code'))
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('flags', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('debits_posted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_posted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('debits_pending', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_pending', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'accounts_balances_not_negative',
      sql`debits_posted >= 0 and credits_posted >= 0 and debits_pending >= 0 and credits_pending >= 0`,
    )
    .addCheckConstraint(
      'accounts_debits_within_credits',
      sql`(flags & 1) = 0 or debits_posted + debits_pending <= credits_posted`,
    )
    .addCheckConstraint(
      'accounts_credits_within_debits',
      sql`(flags & 2) = 0 or credits_posted + credits_pending <= debits_posted`,
    )
    .execute();
  await db.schema
    .createIndex('accounts_owner')
    .on('accounts')
    .columns(['owner_kind', 'owner_id', 'commodity'])
    .execute();

  // Flags: 1 linked, 2 pending, 4 post pending, 8 void pending.
  await db.schema
    .createTable('transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('debit_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('credit_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('commodity', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('flags', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_id', 'text')
    .addColumn('timeout_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('actor_id', 'text')
    .addColumn('references_json', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('transfers_accounts_differ', sql`debit_account_id <> credit_account_id`)
    .execute();
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

  await db.schema
    .createTable('pending_transfers')
    .addColumn('id', 'text', (c) => c.primaryKey().references('transfers.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .execute();
  await db.schema
    .createIndex('pending_transfers_expiry')
    .on('pending_transfers')
    .columns(['status', 'expires_at'])
    .execute();

  await db.schema
    .createTable('transfer_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('areas')
    .addColumn('pcode', 'text', (c) => c.primaryKey())
    .addColumn('parent_pcode', 'text', (c) => c.references('areas.pcode'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('areas_parent').on('areas').column('parent_pcode').execute();

  await db.schema
    .createTable('org_units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('org_unit_areas')
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('area_pcode', 'text', (c) => c.notNull().references('areas.pcode'))
    .addPrimaryKeyConstraint('org_unit_areas_pk', ['org_unit_id', 'area_pcode'])
    .execute();

  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('area_pcode', 'text', (c) => c.notNull().references('areas.pcode'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('service_points')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('area_pcode', 'text', (c) => c.notNull().references('areas.pcode'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_scopes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('org_unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('area_pcode', 'text', (c) => c.references('areas.pcode'))
    .addCheckConstraint(
      'user_scopes_one_target',
      sql`(org_unit_id is null) <> (area_pcode is null)`,
    )
    .execute();
  await db.schema.createIndex('user_scopes_user').on('user_scopes').column('user_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('revoked_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('fields_json', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('previous_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_events_entity')
    .on('audit_events')
    .columns(['entity', 'entity_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'audit_events',
    'tokens',
    'sessions',
    'user_scopes',
    'users',
    'service_points',
    'partners',
    'org_unit_areas',
    'org_units',
    'areas',
    'transfer_failures',
    'pending_transfers',
    'transfers',
    'accounts',
    'commodities',
    'settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
