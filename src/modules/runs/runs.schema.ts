/** Runs on the wire: a team's planned list of stops, dispatched, delivered and closed. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { failedReasons, runStatuses } from '../../shared/vocabulary.js';
import { Pcode } from '../areas/areas.schema.js';

const Id = Type.String({ minLength: 1, maxLength: 100 });

export const stopStates = [
  'planned',
  'reserved',
  'delivered',
  'partial',
  'failed',
  'voided',
] as const;
export { failedReasons };

export const PlanRunBody = StrictObject({
  cycle_id: Id,
  team_id: Id,
  date: Type.String({
    minLength: 8,
    maxLength: 20,
    description: 'YYYY-MM-DD in the deployment time zone',
  }),
  source_service_point_id: Id,
  area_pcodes: Type.Optional(Type.Array(Pcode, { minItems: 1, maxItems: 100, uniqueItems: true })),
  household_ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true })),
  max_stops: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export type PlanRunInput = Static<typeof PlanRunBody>;

export const Item = Type.Object({ commodity: Type.String(), quantity: Type.Integer() });

export const Stop = Type.Object({
  id: Type.String(),
  household_id: Type.String(),
  sequence: Type.Integer(),
  items: Type.Array(Item),
  state: Type.Union(stopStates.map((state) => Type.Literal(state))),
  failed_reason: Type.Union([Type.String(), Type.Null()]),
  delivered: Type.Union([Type.Array(Item), Type.Null()]),
  /** The point the route passes (the household's location, else its community's centroid). */
  latitude: Type.Union([Type.Number(), Type.Null()]),
  longitude: Type.Union([Type.Number(), Type.Null()]),
});
export type StopView = Static<typeof Stop>;

export const RunSummary = Type.Object({
  delivered: Type.Integer(),
  partial: Type.Integer(),
  failed: Type.Integer(),
  failed_by_reason: Type.Record(Type.String(), Type.Integer()),
  voided: Type.Integer(),
  returned: Type.Array(Item),
  minutes: Type.Integer(),
});
export type RunSummaryView = Static<typeof RunSummary>;

const runFields = {
  id: Type.String(),
  cycle_id: Type.String(),
  team_id: Type.String(),
  date: Type.String(),
  source_service_point_id: Type.String(),
  area_pcodes: Type.Array(Type.String()),
  status: Type.Union(runStatuses.map((status) => Type.Literal(status))),
  reservation_expires_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  dispatched_at: Type.Union([Type.String(), Type.Null()]),
  closed_at: Type.Union([Type.String(), Type.Null()]),
  progress: Type.Object({
    stops: Type.Integer(),
    delivered: Type.Integer(),
    partial: Type.Integer(),
    failed: Type.Integer(),
    open: Type.Integer(),
    voided: Type.Integer(),
  }),
  summary: Type.Union([RunSummary, Type.Null()]),
  /** The planned route's length, source -> stops in order -> source, in street metres (estimated). */
  length_metres: Type.Union([Type.Integer(), Type.Null()]),
  /** Where the route starts and ends: the source service point's area centroid. */
  depot: Type.Union([
    Type.Object({ latitude: Type.Number(), longitude: Type.Number() }),
    Type.Null(),
  ]),
};

export const Run = Type.Object({
  ...runFields,
  stops: Type.Array(Stop),
  /** Stops dropped at dispatch because their entitlement was no longer free. */
  dropped: Type.Optional(Type.Array(Type.String())),
  /**
   * On GET /runs/{id} and PUT /runs/{id}/order: the detour factor (street metres per
   * great-circle metre) the server measures length_metres with, for a preview to use.
   */
  detour_factor: Type.Optional(Type.Number()),
});
export type RunView = Static<typeof Run>;

export const PlanDayBody = StrictObject({
  cycle_id: Id,
  date: PlanRunBody.properties.date,
  source_service_point_id: Id,
  team_ids: Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true }),
  /** Default: the areas the teams serve. */
  area_pcodes: Type.Optional(Type.Array(Pcode, { minItems: 1, maxItems: 100, uniqueItems: true })),
  /** The solver's seed (default 1): the same seed and data give the same runs. */
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
});
export type PlanDayInput = Static<typeof PlanDayBody>;

export const PlanDayResponse = Type.Object({
  runs: Type.Array(Run),
  /** Eligible households in the areas. */
  households: Type.Integer(),
  planned: Type.Integer(),
  /** Eligible households that fit no team's run (capacity, stops). */
  unplanned: Type.Integer(),
  unplanned_household_ids: Type.Array(Type.String()),
});
export type PlanDayView = Static<typeof PlanDayResponse>;

export const StopParams = StrictObject({ id: Id, stop_id: Id });

export const MoveStopBody = StrictObject({ to_run_id: Id });
export type MoveStopInput = Static<typeof MoveStopBody>;

export const MoveStopResponse = Type.Object({ from: Run, to: Run });

export const RunOrderBody = StrictObject({
  /** Every stop of the run, once each, in the order to visit them. */
  stop_ids: Type.Array(Id, { minItems: 1, maxItems: 1000 }),
});
export type RunOrderInput = Static<typeof RunOrderBody>;

export const RunListItem = Type.Object(runFields);
export type RunListItemView = Static<typeof RunListItem>;

export const RunList = Type.Object({ items: Type.Array(RunListItem) });

export const RunListQuery = StrictObject({
  status: Type.Optional(Type.Union(runStatuses.map((status) => Type.Literal(status)))),
  team_id: Type.Optional(Id),
  date: Type.Optional(Type.String({ maxLength: 20 })),
});
export type RunListInput = Static<typeof RunListQuery>;

export const CloseRunResponse = Type.Object({
  id: Type.String(),
  status: Type.Literal('closed'),
  delivered: Type.Integer(),
  partial: Type.Integer(),
  failed: Type.Integer(),
  failed_by_reason: Type.Record(Type.String(), Type.Integer()),
  voided: Type.Integer(),
  returned: Type.Array(Item),
  minutes: Type.Integer(),
});

export const DispatchBlocked = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.Literal('dispatch-blocked'),
    missing: Type.Array(
      Type.Object({
        volunteer_id: Type.String(),
        kind: Type.Union([
          Type.Literal('status'),
          Type.Literal('training'),
          Type.Literal('permit'),
        ]),
        status: Type.Optional(Type.Union([Type.Literal('paused'), Type.Literal('left')])),
        training_code: Type.Optional(Type.String()),
        area_pcode: Type.Optional(Type.String()),
      }),
    ),
  },
  { additionalProperties: true },
);
