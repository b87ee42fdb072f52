/** Service point stock on the wire: receipts (idempotent by client id) and balances. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { CommodityCode } from '../commodities/commodities.schema.js';

/** An id the client makes up (a UUID), so that a retry is recognised as the same request. */
export const ClientId = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  description: 'A UUID chosen by the client; retrying with the same id and body is safe.',
});

/** Largest quantity one request may move (base units). */
export const maxRequestQuantity = 1_000_000_000;

export const ReceiveStockBody = StrictObject({
  id: ClientId,
  commodity: CommodityCode,
  quantity: Type.Integer({ minimum: 1, maximum: maxRequestQuantity, description: 'Base units.' }),
});
export type ReceiveStockInput = Static<typeof ReceiveStockBody>;

export const StockReceipt = Type.Object({
  id: Type.String(),
  service_point_id: Type.String(),
  commodity: Type.String(),
  quantity: Type.Integer(),
  received_at: Type.String(),
});
export type StockReceiptView = Static<typeof StockReceipt>;

export const StockBalance = Type.Object({
  commodity: Type.String(),
  on_hand: Type.Integer({ description: 'Received minus handed over (base units).' }),
  reserved: Type.Integer({ description: 'Held for pending hand-overs.' }),
  available: Type.Integer({ description: 'on_hand - reserved.' }),
});
export type StockBalanceView = Static<typeof StockBalance>;

export const StockBalances = Type.Object({
  service_point_id: Type.String(),
  items: Type.Array(StockBalance),
});
export type StockBalancesView = Static<typeof StockBalances>;

const Day = Type.String({
  pattern: '^[0-9٠-٩]{4}-[0-9٠-٩]{2}-[0-9٠-٩]{2}$',
  description: "YYYY-MM-DD in the deployment's time zone (Arabic-Indic digits accepted).",
});

export const DayCloseBody = StrictObject({
  date: Day,
  counts: Type.Array(
    StrictObject({
      commodity: CommodityCode,
      quantity: Type.Integer({
        minimum: 0,
        maximum: maxRequestQuantity,
        description: 'Counted on hand (base units).',
      }),
    }),
    {
      minItems: 1,
      maxItems: 50,
      description: 'One count for every commodity the service point holds.',
    },
  ),
});
export type DayCloseInput = Static<typeof DayCloseBody>;

export const DayQuery = StrictObject({ date: Day });

export const DayCloseLine = Type.Object({
  commodity: Type.String(),
  received: Type.Integer({ description: 'Received into stock that day.' }),
  handed_out: Type.Integer({ description: 'Handed over to households that day.' }),
  on_hand_books: Type.Union([Type.Integer(), Type.Null()], {
    description: 'On hand by the ledger at the close (now, for today before the close).',
  }),
  counted: Type.Union([Type.Integer(), Type.Null()], { description: 'null until closed.' }),
  difference: Type.Union([Type.Integer(), Type.Null()], {
    description: 'counted - on_hand_books; posted to the ledger as an adjustment.',
  }),
});

export const DayClose = Type.Object({
  service_point_id: Type.String(),
  date: Type.String(),
  closed: Type.Boolean(),
  closed_at: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(DayCloseLine),
});
export type DayCloseView = Static<typeof DayClose>;

export const HoldingsQuery = StrictObject({
  holder_kind: Type.Optional(
    Type.Unsafe<'warehouse' | 'partner' | 'team' | 'org_unit' | 'service_point' | 'volunteer'>({
      type: 'string',
      enum: ['warehouse', 'partner', 'team', 'org_unit', 'service_point', 'volunteer'],
    }),
  ),
  holder_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  commodity: Type.Optional(CommodityCode),
});
export type HoldingsQueryInput = Static<typeof HoldingsQuery>;

export const Holdings = Type.Object({
  items: Type.Array(
    Type.Object({
      holder_kind: Type.String(),
      holder_id: Type.String(),
      commodity: Type.String(),
      lot_id: Type.Union([Type.String(), Type.Null()], {
        description: 'null for a service point (its stock is counted per commodity).',
      }),
      status: Type.Union([Type.String(), Type.Null()], { description: "The lot's status." }),
      state: Type.String({
        description: 'quarantined, available, allocated, in_transit (dispatched) or rejected.',
      }),
      quantity: Type.Integer(),
    }),
  ),
});
export type HoldingsView = Static<typeof Holdings>;

export const StockCountBody = StrictObject({
  id: ClientId,
  lines: Type.Array(
    StrictObject({
      lot_id: Type.String({ minLength: 1, maxLength: 100 }),
      quantity: Type.Integer({ minimum: 0, maximum: maxRequestQuantity, description: 'Counted.' }),
    }),
    { minItems: 1, maxItems: 5000 },
  ),
});
export type StockCountInput = Static<typeof StockCountBody>;

export const StockCount = Type.Object({
  id: Type.String(),
  warehouse_id: Type.String(),
  status: Type.String({ description: 'submitted (nothing posted) or approved (posted).' }),
  counted_by: Type.Union([Type.String(), Type.Null()]),
  counted_at: Type.String(),
  approved_by: Type.Union([Type.String(), Type.Null()]),
  approved_at: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(
    Type.Object({
      lot_id: Type.String(),
      commodity: Type.String(),
      books: Type.Integer({ description: 'On the shelf by the books (all but in transit).' }),
      counted: Type.Integer(),
      difference: Type.Integer({ description: 'counted - books.' }),
    }),
  ),
});
export type StockCountView = Static<typeof StockCount>;

export const CountParams = StrictObject({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  countId: Type.String({ minLength: 1, maxLength: 100 }),
});

export const ReorderLevelBody = StrictObject({
  holder_kind: Type.Unsafe<
    'warehouse' | 'partner' | 'team' | 'org_unit' | 'service_point' | 'volunteer'
  >({
    type: 'string',
    enum: ['warehouse', 'partner', 'team', 'org_unit', 'service_point', 'volunteer'],
  }),
  holder_id: Type.String({ minLength: 1, maxLength: 100 }),
  commodity: CommodityCode,
  level: Type.Integer({
    minimum: 0,
    maximum: maxRequestQuantity,
    description: 'Base units; 0: no alert.',
  }),
});
export type ReorderLevelInput = Static<typeof ReorderLevelBody>;

export const AlertsQuery = StrictObject({
  within_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, default: 30 })),
});

export const Alerts = Type.Object({
  until: Type.String({ description: 'Lots expiring on or before this day are listed.' }),
  expiring: Type.Array(
    Type.Object({
      lot_id: Type.String(),
      number: Type.String(),
      commodity: Type.String(),
      warehouse_id: Type.String(),
      expires_on: Type.String(),
      status: Type.String(),
      quantity: Type.Integer({ description: 'Still in the warehouse.' }),
    }),
  ),
  below_reorder: Type.Array(
    Type.Object({
      holder_kind: Type.String(),
      holder_id: Type.String(),
      commodity: Type.String(),
      level: Type.Integer(),
      available: Type.Integer(),
    }),
  ),
});
export type AlertsView = Static<typeof Alerts>;

export const PipelineQuery = StrictObject({ commodity: Type.Optional(CommodityCode) });

export const Pipeline = Type.Object({
  items: Type.Array(
    Type.Object({
      commodity: Type.String(),
      donated: Type.Integer(),
      awaiting_inspection: Type.Integer(),
      passed_inspection: Type.Integer(),
      rejected: Type.Integer(),
      disposed: Type.Integer({ description: 'Rejected goods disposed of.' }),
      released: Type.Integer(),
      allocated: Type.Integer({
        description: 'Held by approvals (not cancelled), dispatched included.',
      }),
      dispatched: Type.Integer(),
      received_by_recipients: Type.Integer(),
      lost_in_transit: Type.Integer(),
      issued_to_volunteers: Type.Integer(),
      handed_to_households: Type.Integer({
        description: 'Handed over at service points (all stock of the commodity).',
      }),
    }),
  ),
});
export type PipelineView = Static<typeof Pipeline>;
