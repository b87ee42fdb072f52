/**
 * The field sync contract (issue 11 §5; field tools script against it, keep its shapes):
 * `POST /sync {"ops": [...]}` answered per op, in order. Ops are checked one by one in the
 * service (one bad op never fails the batch), so the body schema only bounds the batch.
 */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';

export const maxOpsPerBatch = 1000;

export const SyncBody = StrictObject({
  ops: Type.Array(Type.Unknown(), { maxItems: maxOpsPerBatch }),
});

export const syncStatuses = ['applied', 'duplicate', 'exception', 'rejected'] as const;

export const SyncResult = Type.Object({
  id: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union(syncStatuses.map((status) => Type.Literal(status))),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
export type SyncResultView = Static<typeof SyncResult>;

export const SyncResponse = Type.Object({ results: Type.Array(SyncResult) });

export const EnrolBody = StrictObject({
  volunteer_id: Type.String({ minLength: 1, maxLength: 100 }),
  name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
});

const deviceFields = {
  id: Type.String(),
  volunteer_id: Type.String(),
  name: Type.String(),
  ops_received: Type.Integer(),
  wiped_at: Type.Union([Type.String(), Type.Null()]),
  last_sync_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
};
export const Device = Type.Object(deviceFields);
export type DeviceView = Static<typeof Device>;
export const DeviceList = Type.Object({ items: Type.Array(Device) });
export const Enrolment = Type.Object({
  ...deviceFields,
  token: Type.String({ description: 'The device bearer secret; shown this once' }),
  enrolment_url: Type.String(),
  qr_svg: Type.String({ description: 'The enrolment URL as a QR code (SVG)' }),
});

const Item = Type.Object({ commodity: Type.String(), quantity: Type.Integer() });

export const FieldException = Type.Object({
  id: Type.String(),
  op_id: Type.String(),
  run_id: Type.String(),
  stop_id: Type.Union([Type.String(), Type.Null()]),
  household_id: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(Item),
  code: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('approved'), Type.Literal('rejected')]),
  resolution_reason: Type.Union([Type.String(), Type.Null()]),
  resolved_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});
export type FieldExceptionView = Static<typeof FieldException>;
export const FieldExceptionList = Type.Object({ items: Type.Array(FieldException) });
export const FieldExceptionQuery = StrictObject({
  status: Type.Optional(
    Type.Union([Type.Literal('open'), Type.Literal('approved'), Type.Literal('rejected')]),
  ),
  run_id: Type.Optional(Type.String({ maxLength: 100 })),
});
export const RejectBody = StrictObject({
  reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
});

export const FieldRuns = Type.Object({
  card_public_key: Type.String(),
  /** The commodities the runs carry: names to show, and the unit quantities are counted in. */
  commodities: Type.Array(
    Type.Object({
      code: Type.String(),
      name_ar: Type.String(),
      name_en: Type.String(),
      base_unit: Type.String(),
    }),
  ),
  runs: Type.Array(
    Type.Object({
      id: Type.String(),
      date: Type.String(),
      status: Type.String(),
      team_id: Type.String(),
      stops: Type.Array(
        Type.Object({
          id: Type.String(),
          sequence: Type.Integer(),
          household_id: Type.String(),
          head_name: Type.String(),
          card_number: Type.String(),
          address: Type.Union([Type.String(), Type.Null()]),
          items: Type.Array(Item),
          state: Type.String(),
        }),
      ),
    }),
  ),
  /** Runs of the device's teams closed recently: the phone removes their data. */
  closed_run_ids: Type.Array(Type.String()),
  /** Ops of those runs the office has not yet resolved (`exception` answers still open). */
  open_exception_op_ids: Type.Array(Type.String()),
});
