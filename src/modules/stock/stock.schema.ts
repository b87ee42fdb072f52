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
