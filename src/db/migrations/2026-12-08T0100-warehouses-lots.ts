// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// Warehouses and their locations, donors, donations with numbered receipts, lots (quarantined
// until inspected when their commodity asks for it), inspections, and allocations with their
// lines. Every quantity lives in the ledger (accounts per lot, holder and state); these tables
// hold who, what and why. Commodities say whether their lots need inspection; a user may work
// for a partner (an inspector does).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('commodities')
    .addColumn('requires_inspection', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('partner_id', 'text').execute();

  await db.schema
    .createTable('warehouses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('area_pcode', 'text', (c) => c.notNull().references('areas.pcode'))
    .addColumn('org_unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('inspection_partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('warehouse_locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouses.id'))
    .addColumn('room', 'text', (c) => c.notNull())
    .addColumn('shelf', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('warehouse_locations_warehouse')
    .on('warehouse_locations')
    .column('warehouse_id')
    .execute();

  await db.schema
    .createTable('donors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // One counter per series and year (donation receipts: 'donation').
  await db.schema
    .createTable('number_series')
    .addColumn('series', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('number_series_pk', ['series', 'year'])
    .execute();

  await db.schema
    .createTable('donations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('receipt_number', 'text', (c) => c.notNull().unique())
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouses.id'))
    .addColumn('donor_id', 'text', (c) => c.notNull().references('donors.id'))
    .addColumn('received_by', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    // The first answer, given again to a retry with the same id and body.
    .addColumn('answer_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('donations_donor').on('donations').column('donor_id').execute();

  await db.schema
    .createTable('lots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('commodity', 'text', (c) => c.notNull().references('commodities.code'))
    .addColumn('expires_on', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouses.id'))
    .addColumn('location_id', 'text', (c) => c.references('warehouse_locations.id'))
    .addColumn('donation_id', 'text', (c) => c.references('donations.id'))
    .addColumn('line_number', 'integer')
    .addColumn('quantity', 'bigint', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('condition', 'text')
    .addColumn('inspection_partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('parent_lot_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('lots_number')
    .on('lots')
    .columns(['commodity', 'number'])
    .unique()
    .execute();
  await db.schema.createIndex('lots_donation').on('lots').column('donation_id').execute();
  await db.schema
    .createIndex('lots_warehouse')
    .on('lots')
    .columns(['warehouse_id', 'commodity', 'status'])
    .execute();

  await db.schema
    .createTable('inspections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('lot_id', 'text', (c) => c.notNull().references('lots.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('inspector_id', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('sample_size', 'integer')
    .addColumn('passed_quantity', 'bigint', (c) => c.notNull())
    .addColumn('rejected_quantity', 'bigint', (c) => c.notNull())
    .addColumn('sterilisation_method', 'text')
    .addColumn('sterilised_on', 'text')
    .addColumn('sterilised_by', 'text')
    .addColumn('certificate_ref', 'text')
    .addColumn('notes', 'text')
    .addColumn('rejected_lot_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inspections_lot').on('inspections').column('lot_id').execute();

  await db.schema
    .createTable('allocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouses.id'))
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('recipient_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('dispatched_by', 'text')
    .addColumn('dispatched_at', 'text')
    .addColumn('received_by', 'text')
    .addColumn('received_at', 'text')
    .addColumn('cancelled_at', 'text')
    .execute();
  await db.schema
    .createIndex('allocations_warehouse')
    .on('allocations')
    .columns(['warehouse_id', 'status'])
    .execute();
  await db.schema
    .createTable('allocation_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('allocation_id', 'text', (c) => c.notNull().references('allocations.id'))
    .addColumn('line_number', 'integer', (c) => c.notNull())
    .addColumn('lot_id', 'text', (c) => c.notNull().references('lots.id'))
    .addColumn('commodity', 'text', (c) => c.notNull())
    .addColumn('quantity', 'bigint', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('received_quantity', 'bigint')
    .execute();
  await db.schema
    .createIndex('allocation_lines_allocation')
    .on('allocation_lines')
    .column('allocation_id')
    .execute();
  await db.schema
    .createIndex('allocation_lines_lot')
    .on('allocation_lines')
    .column('lot_id')
    .execute();

  // A warehouse count: counted against the books per lot; the differences are posted to the
  // ledger only when a second person approves.
  await db.schema
    .createTable('stock_counts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouses.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('counted_by', 'text')
    .addColumn('counted_at', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .execute();
  await db.schema
    .createTable('stock_count_lines')
    .addColumn('count_id', 'text', (c) => c.notNull().references('stock_counts.id'))
    .addColumn('lot_id', 'text', (c) => c.notNull().references('lots.id'))
    .addColumn('commodity', 'text', (c) => c.notNull())
    .addColumn('books', 'bigint', (c) => c.notNull())
    .addColumn('counted', 'bigint', (c) => c.notNull())
    .addColumn('difference', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_count_lines_pk', ['count_id', 'lot_id'])
    .execute();
  // The least a holder should keep of a commodity before an alert.
  await db.schema
    .createTable('reorder_levels')
    .addColumn('holder_kind', 'text', (c) => c.notNull())
    .addColumn('holder_id', 'text', (c) => c.notNull())
    .addColumn('commodity', 'text', (c) => c.notNull().references('commodities.code'))
    .addColumn('level', 'bigint', (c) => c.notNull().check(sql`level >= 0`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reorder_levels_pk', ['holder_kind', 'holder_id', 'commodity'])
    .execute();

  // Protective equipment issued from a team's lot is a ledger transfer; the record names it.
  await db.schema.alterTable('ppe_issues').addColumn('lot_id', 'text').execute();
  await db.schema.alterTable('ppe_issues').addColumn('team_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ppe_issues').dropColumn('team_id').execute();
  await db.schema.alterTable('ppe_issues').dropColumn('lot_id').execute();
  for (const table of [
    'reorder_levels',
    'stock_count_lines',
    'stock_counts',
    'allocation_lines',
    'allocations',
    'inspections',
    'lots',
    'donations',
    'number_series',
    'donors',
    'warehouse_locations',
    'warehouses',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('users').dropColumn('partner_id').execute();
  await db.schema.alterTable('commodities').dropColumn('requires_inspection').execute();
}
