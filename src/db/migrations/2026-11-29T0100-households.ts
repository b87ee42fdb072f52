// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// Households, their members, tags and search tokens; ration cards; likely-duplicate pairs.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Name tokens are matched by prefix ranges (token >= 'x' and token < 'x\uffff'), which are
  // only correct under byte order: SQLite's default, and collation "C" on PostgreSQL.
  const byteOrder = db.getExecutor().adapter instanceof PostgresAdapter ? sql`collate "C"` : null;

  await db.schema
    .createTable('households')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('card_number', 'text', (c) => c.notNull())
    .addColumn('head_given_name', 'text', (c) => c.notNull())
    .addColumn('head_father_name', 'text', (c) => c.notNull())
    .addColumn('head_grandfather_name', 'text')
    .addColumn('head_family_name', 'text', (c) => c.notNull())
    .addColumn('head_name_latin', 'text')
    .addColumn('full_name_normalized', 'text', (c) => c.notNull())
    // Blocking keys for likely-duplicate detection: households of one subdistrict and size that
    // share a key are compared. Each key pairs two of the given, father and family names, so a
    // typo in any one of them still leaves a key in common.
    .addColumn('family_key', 'text', (c) => c.notNull())
    .addColumn('given_father_key', 'text', (c) => c.notNull())
    .addColumn('family_given_key', 'text')
    .addColumn('family_father_key', 'text')
    .addColumn('national_id', 'text', (c) => c.unique())
    .addColumn('phone', 'text')
    .addColumn('household_size', 'integer', (c) => c.notNull().check(sql`household_size > 0`))
    .addColumn('area_pcode', 'text', (c) => c.notNull().references('areas.pcode'))
    .addColumn('subdistrict_pcode', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('status_changed_on', 'text')
    .addColumn('merged_into', 'text')
    .addColumn('consent_date', 'text')
    .addColumn('consent_recorded_by', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'households_status_known',
      sql`status in ('active', 'suspended', 'moved', 'deceased', 'merged')`,
    )
    .addCheckConstraint('households_location_whole', sql`(latitude is null) = (longitude is null)`)
    .execute();
  await db.schema
    .createIndex('households_area')
    .on('households')
    .columns(['area_pcode', 'id'])
    .execute();
  await db.schema.createIndex('households_phone').on('households').column('phone').execute();
  await db.schema
    .createIndex('households_card_number')
    .unique()
    .on('households')
    .column('card_number')
    .execute();
  await db.schema
    .createIndex('households_given_father_key')
    .on('households')
    .columns(['subdistrict_pcode', 'given_father_key', 'household_size'])
    .execute();
  await db.schema
    .createIndex('households_family_given_key')
    .on('households')
    .columns(['subdistrict_pcode', 'family_given_key', 'household_size'])
    .execute();
  await db.schema
    .createIndex('households_family_father_key')
    .on('households')
    .columns(['subdistrict_pcode', 'family_father_key', 'household_size'])
    .execute();

  await db.schema
    .createTable('household_members')
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sex', 'text')
    .addColumn('birth_year', 'integer')
    .addColumn('relation', 'text')
    .addPrimaryKeyConstraint('household_members_pk', ['household_id', 'position'])
    .execute();

  await db.schema
    .createTable('household_tags')
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('household_tags_pk', ['household_id', 'tag'])
    .execute();
  await db.schema
    .createIndex('household_tags_tag')
    .on('household_tags')
    .columns(['tag', 'household_id'])
    .execute();

  // (token, household_id) drives an equality lookup in household order, so a page of results
  // stops early; (household_id, token) probes the other tokens of each candidate.
  await db.schema
    .createTable('household_name_tokens')
    .addColumn('token', 'text', (c) => (byteOrder ? c.notNull().modifyEnd(byteOrder) : c.notNull()))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addPrimaryKeyConstraint('household_name_tokens_pk', ['token', 'household_id'])
    .execute();
  await db.schema
    .createIndex('household_name_tokens_household')
    .on('household_name_tokens')
    .columns(['household_id', 'token'])
    .execute();

  await db.schema
    .createTable('cards')
    .addColumn('card_number', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text')
    .execute();
  await db.schema.createIndex('cards_household').on('cards').column('household_id').execute();

  await db.schema
    .createTable('duplicate_candidates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('other_household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('kept_household_id', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('duplicate_candidates_pair', ['household_id', 'other_household_id'])
    .addCheckConstraint(
      'duplicate_candidates_status_known',
      sql`status in ('open', 'kept', 'merged')`,
    )
    .execute();
  await db.schema
    .createIndex('duplicate_candidates_status')
    .on('duplicate_candidates')
    .columns(['status', 'id'])
    .execute();
  await db.schema
    .createIndex('duplicate_candidates_other')
    .on('duplicate_candidates')
    .column('other_household_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'duplicate_candidates',
    'cards',
    'household_name_tokens',
    'household_tags',
    'household_members',
    'households',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
