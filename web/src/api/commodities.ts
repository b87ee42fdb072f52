/** Commodities (for units and names) and programmes/cycles lookups shared by several screens. */
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Commodity } from './types';

export function useCommodities() {
  return useQuery({
    queryKey: ['commodities'],
    queryFn: ({ signal }) => api.get<{ items: Commodity[] }>('/commodities', undefined, signal),
    staleTime: 10 * 60_000,
    select: (data) => new Map(data.items.map((commodity) => [commodity.code, commodity])),
  });
}

/** Units of a commodity not (yet) known: counted and shown in the same unit. */
export const plainUnits = { base_unit: '', display_unit: '', display_scale: 1 };
