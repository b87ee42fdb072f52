// Frozen in time: imports nothing from the app.
// Numbers stay finite and in range. The API once let the text "Infinity" through its type
// coercion, storing rows (coordinates, a commodity's display scale) that then broke every list
// answering them. Such rows are repaired first: an impossible coordinate pair becomes unknown
// (null), a display scale that is not a whole number becomes 1 (quantities are stored in base
// units, so only how they are shown changes). Then the database refuses them: CHECK constraints
// on PostgreSQL; on SQLite, which cannot add a CHECK to an existing table, triggers that abort
// the insert or update the same way.
import { SqliteAdapter, sql, type Kysely } from 'kysely';

interface Rule {
  table: string;
  name: string;
  columns: string[];
  /** True for an acceptable row (null columns pass, as for a CHECK). */
  check: string;
  /** Makes a failing row acceptable. */
  repair: string;
}

const coordinates = (table: string): Rule[] => [
  {
    table,
    name: `${table}_coordinates_range`,
    columns: ['latitude', 'longitude'],
    check:
      '(latitude is null or latitude between -90 and 90) and (longitude is null or longitude between -180 and 180)',
    repair: 'latitude = null, longitude = null',
  },
];

function rules(sqlite: boolean): Rule[] {
  return [
    ...coordinates('areas'),
    ...coordinates('households'),
    // PostgreSQL's integer column already holds only integers.
    ...(sqlite
      ? [
          {
            table: 'commodities',
            name: 'commodities_display_scale_integer',
            columns: ['display_scale'],
            check: "typeof(display_scale) = 'integer'",
            repair: 'display_scale = 1',
          },
        ]
      : []),
  ];
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  for (const rule of rules(sqlite)) {
    await sql.raw(`update ${rule.table} set ${rule.repair} where not (${rule.check})`).execute(db);
    if (!sqlite) {
      await sql
        .raw(`alter table ${rule.table} add constraint ${rule.name} check (${rule.check})`)
        .execute(db);
      continue;
    }
    const failing = rule.check.replace(/\b(latitude|longitude|display_scale)\b/gu, 'new.$1');
    for (const event of ['insert', `update of ${rule.columns.join(', ')}`]) {
      const suffix = event === 'insert' ? 'insert' : 'update';
      await sql
        .raw(
          `create trigger ${rule.name}_${suffix} before ${event} on ${rule.table} ` +
            `when not (${failing}) begin select raise(abort, 'CHECK constraint failed: ${rule.name}'); end`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  for (const rule of rules(sqlite)) {
    if (!sqlite) {
      await sql.raw(`alter table ${rule.table} drop constraint ${rule.name}`).execute(db);
      continue;
    }
    await sql.raw(`drop trigger ${rule.name}_insert`).execute(db);
    await sql.raw(`drop trigger ${rule.name}_update`).execute(db);
  }
}
