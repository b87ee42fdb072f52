/** Warehouses, donations, lots, inspections and allocations: the queries and writes the store screens use. */
import type { Static } from '@sinclair/typebox';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type * as allocations from '../../../src/modules/allocations/allocations.schema.js';
import type * as donations from '../../../src/modules/donations/donations.schema.js';
import type * as lots from '../../../src/modules/lots/lots.schema.js';
import type * as stock from '../../../src/modules/stock/stock.schema.js';
import type * as warehouses from '../../../src/modules/warehouses/warehouses.schema.js';
import { api } from './client';

export type Warehouse = Static<typeof warehouses.Warehouse>;
export type Donor = Static<typeof donations.Donor>;
export type LotView = Static<typeof lots.Lot>;
export type AllocationView = Static<typeof allocations.Allocation>;
export type DonationView = Static<typeof donations.Donation>;
export type StockCountView = Static<typeof stock.StockCount>;
export type DonorStatementView = Static<typeof donations.DonorStatement>;

export function useWarehouses() {
  return useQuery({
    queryKey: ['warehouses'],
    queryFn: ({ signal }) => api.get<{ items: Warehouse[] }>('/warehouses', undefined, signal),
  });
}

export function useDonors(enabled: boolean) {
  return useQuery({
    queryKey: ['donors'],
    queryFn: ({ signal }) => api.get<{ items: Donor[] }>('/donors', undefined, signal),
    enabled,
  });
}

export function useLots(query: Record<string, string>, enabled = true) {
  return useQuery({
    queryKey: ['lots', query],
    queryFn: ({ signal }) => api.get<{ items: LotView[] }>('/lots', query, signal),
    enabled,
  });
}

export function useAllocations(warehouseId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['allocations', warehouseId],
    queryFn: ({ signal }) =>
      api.get<{ items: AllocationView[] }>(
        '/allocations',
        { warehouse_id: warehouseId ?? '' },
        signal,
      ),
    enabled: enabled && Boolean(warehouseId),
  });
}

/** A write that refreshes the lots and allocations lists once it settles. */
export function useStoreWrite<Body, Result>(write: (body: Body) => Promise<Result>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['lots'] });
      void client.invalidateQueries({ queryKey: ['allocations'] });
      void client.invalidateQueries({ queryKey: ['donors'] });
    },
  });
}
