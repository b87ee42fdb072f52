/** Hand-overs already made (newest first) and how far a cycle has come. */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Page, UnservedHousehold } from './types';

export interface RedemptionEntry {
  id: string;
  household_id: string;
  service_point_id: string;
  items: { commodity: string; quantity: number }[];
  /** 'head', 'member:<position>' or 'proxy:<id>'; null when not said. */
  collected_by: string | null;
  /** Served away from the household's home service point by an override. */
  home_override: boolean;
  created_at: string;
}

export interface RedemptionFilters {
  household_id?: string;
  service_point_id?: string;
  /** An ISO date-time: only hand-overs at or after it. */
  since?: string;
}

/** Pages of hand-overs in the user's scope, newest first. */
export function useRedemptions(filters: RedemptionFilters, limit = 25) {
  return useInfiniteQuery({
    queryKey: ['redemptions', filters, limit],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<RedemptionEntry>>(
        '/redemptions',
        { ...filters, limit, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export interface CommodityProgress {
  commodity: string;
  entitled: number;
  redeemed: number;
}

export interface AreaProgress {
  area_pcode: string;
  name_ar: string;
  name_en: string;
  households_entitled: number;
  households_served: number;
  commodities: CommodityProgress[];
}

export interface CycleProgress {
  cycle_id: string;
  status: string;
  households_entitled: number;
  households_served: number;
  areas: AreaProgress[];
  commodities: CommodityProgress[];
}

export function useCycleProgress(id: string) {
  return useQuery({
    queryKey: ['cycles', id, 'progress'],
    queryFn: ({ signal }) =>
      api.get<CycleProgress>(`/cycles/${encodeURIComponent(id)}/progress`, undefined, signal),
    refetchInterval: 60_000,
  });
}

/** Midnight today in the browser's time zone, as an ISO instant. */
export function startOfToday(now = new Date()): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}

/** Pages of a cycle's households not served yet (within an area when given). */
export function useUnservedHouseholds(cycleId: string, areaPcode?: string, limit = 50) {
  return useInfiniteQuery({
    queryKey: ['cycles', cycleId, 'unserved', areaPcode ?? null, limit],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<UnservedHousehold>>(
        `/cycles/${encodeURIComponent(cycleId)}/unserved`,
        { area_pcode: areaPcode, limit, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
