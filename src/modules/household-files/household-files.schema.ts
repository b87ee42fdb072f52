/** Household files on the wire: the import's query and report, the export's and template's queries. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { householdStatuses } from '../households/households.schema.js';

export const ImportQuery = StrictObject({
  /** Check and report only; nothing is written. */
  dry_run: Type.Optional(Type.Boolean({ default: false })),
  /** Commit the valid rows and report the rest (default: all or nothing). */
  skip_invalid: Type.Optional(Type.Boolean({ default: false })),
});
export type ImportQueryInput = Static<typeof ImportQuery>;

const RowIssue = {
  row: Type.Integer({ description: 'Spreadsheet row: the header is row 1, an HXL row is row 2.' }),
  column: Type.Union([Type.String(), Type.Null()], {
    description: 'The field (template column name); for a header warning, the header as written.',
  }),
  cell: Type.Optional(Type.String({ description: 'Spreadsheet cell, e.g. "G7".' })),
  code: Type.String(),
  message: Type.String(),
};

export const ImportReport = Type.Object(
  {
    accepted: Type.Integer({ description: 'Households written (in a dry run: that would be).' }),
    rejected: Type.Array(Type.Object(RowIssue)),
    duplicates: Type.Array(
      Type.Object({
        row: Type.Integer(),
        existing_household_id: Type.Optional(Type.String()),
        other_row: Type.Optional(Type.Integer()),
        outside_scope: Type.Optional(
          Type.Boolean({
            description:
              'The identifier is already registered outside your scope; that household is not named.',
          }),
        ),
        reason: Type.String({
          description:
            '`national_id` or `card_number` (the row is rejected), or what a likely duplicate shares, e.g. `name+size`.',
        }),
        score: Type.Optional(Type.Number()),
      }),
    ),
    warnings: Type.Array(
      Type.Object({
        ...RowIssue,
        existing_household_id: Type.Optional(Type.String()),
        other_row: Type.Optional(Type.Integer()),
        outside_scope: Type.Optional(Type.Boolean()),
      }),
    ),
    committed: Type.Boolean(),
    dry_run: Type.Boolean(),
    rows: Type.Integer({ description: 'Data rows read (blank rows skipped).' }),
    valid: Type.Integer({ description: 'Rows that passed every check.' }),
    rejected_rows: Type.Integer(),
  },
  { description: 'The row-level report of a household import.' },
);

export const TemplateQuery = StrictObject({
  /** Add the HXL hashtag row under the header. */
  hxl: Type.Optional(Type.Boolean({ default: false })),
});
export type TemplateQueryInput = Static<typeof TemplateQuery>;

export const ExportQuery = StrictObject({
  /** As in GET /households: a name in any spelling, a card number, phone or national id. */
  q: Type.Optional(Type.String({ maxLength: 200 })),
  area: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  status: Type.Optional(Type.Union(householdStatuses.map((status) => Type.Literal(status)))),
  /** Add the HXL hashtag row under the header. */
  hxl: Type.Optional(Type.Boolean({ default: false })),
});
export type ExportQueryInput = Static<typeof ExportQuery>;
