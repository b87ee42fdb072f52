/** Households: search, read, register, edit, tags and duplicates. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './client';
import type {
  CreatedHousehold,
  DuplicateCandidate,
  Household,
  Page,
  VulnerabilityTag,
} from './types';

export interface HouseholdFilters {
  q?: string;
  area?: string | null;
  tag?: string | null;
  status?: string | null;
}

export function useHouseholdSearch(filters: HouseholdFilters) {
  return useInfiniteQuery({
    queryKey: ['households', 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Household>>(
        '/households',
        {
          q: filters.q,
          area: filters.area,
          tag: filters.tag,
          status: filters.status,
          limit: 25,
          cursor: pageParam,
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: (previous) => previous,
  });
}

export function useHousehold(id: string | undefined) {
  return useQuery({
    queryKey: ['households', id],
    queryFn: ({ signal }) =>
      api.get<Household>(`/households/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useVulnerabilityTags() {
  return useQuery({
    queryKey: ['household-tags'],
    queryFn: ({ signal }) =>
      api.get<{ items: VulnerabilityTag[] }>('/households/tags', undefined, signal),
    staleTime: 10 * 60_000,
  });
}

/** Replaces the list of vulnerability tags (admins and coordinators). */
export function useSaveVulnerabilityTags() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (items: VulnerabilityTag[]) =>
      api.put<{ items: VulnerabilityTag[] }>('/households/tags', { items }),
    onSuccess: (answer) => client.setQueryData(['household-tags'], answer),
  });
}

export type HouseholdInput = Record<string, unknown>;

export function useSaveHousehold(id: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: HouseholdInput) =>
      id
        ? api.patch<CreatedHousehold>(`/households/${encodeURIComponent(id)}`, input)
        : api.post<CreatedHousehold>('/households', input),
    onSuccess: (saved) => {
      client.setQueryData(['households', saved.id], saved);
      void client.invalidateQueries({ queryKey: ['households', 'list'] });
      void client.invalidateQueries({ queryKey: ['duplicates'] });
    },
  });
}

export function useDuplicates(status: 'open' | 'kept' | 'merged' = 'open') {
  return useInfiniteQuery({
    queryKey: ['duplicates', status],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<DuplicateCandidate>>(
        '/duplicates',
        { status, limit: 50, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** How many likely duplicates with the status wait in the user's scope (no names are read). */
export function useDuplicateCount(status: 'open' | 'kept' | 'merged' = 'open') {
  return useQuery({
    queryKey: ['duplicates', status, 'count'],
    queryFn: ({ signal }) =>
      api.get<{ total: number }>('/duplicates', { status, count: 'only' }, signal),
    select: (data) => data.total,
  });
}

/** One candidate: the API lists them (there is no GET by id), so it is found among the open ones. */
export function useDuplicate(id: string | undefined) {
  return useQuery({
    queryKey: ['duplicates', 'one', id],
    queryFn: async ({ signal }) => {
      for (const status of ['open', 'kept', 'merged'] as const) {
        let cursor: string | undefined;
        do {
          const page = await api.get<Page<DuplicateCandidate>>(
            '/duplicates',
            { status, limit: 200, cursor },
            signal,
          );
          const found = page.items.find((candidate) => candidate.id === id);
          if (found) return found;
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
      }
      throw new ApiError(404, 'not-found', 'not-found', [], {});
    },
    enabled: Boolean(id),
  });
}

export function useResolveDuplicate(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { action: 'keep_both' | 'merge'; keep?: string }) =>
      api.post<{ candidate: DuplicateCandidate }>(
        `/duplicates/${encodeURIComponent(id)}/resolve`,
        input,
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['duplicates'] });
      void client.invalidateQueries({ queryKey: ['households'] });
    },
  });
}

export function useReissueCard(householdId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      api.post<{ card_number: string; revoked: string[] }>(
        `/households/${encodeURIComponent(householdId)}/card/reissue`,
        { reason },
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['households'] }),
  });
}
