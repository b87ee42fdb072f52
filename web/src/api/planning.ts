/** Programmes (rules and their preview) and cycles (create, open, add late households, close). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from './client';
import type { Cycle, Preview, Programme, Rules } from './types';

export function useProgrammes() {
  return useQuery({
    queryKey: ['programmes'],
    queryFn: ({ signal }) => api.get<{ items: Programme[] }>('/programmes', undefined, signal),
    select: (data) => data.items,
  });
}

export function useProgramme(id: string | undefined) {
  return useQuery({
    queryKey: ['programmes', id],
    queryFn: ({ signal }) =>
      api.get<Programme>(`/programmes/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** What the rules would give, recomputed as they change (the API counts the households). */
export function useRulesPreview(rules: Rules | null, areaPcodes: string[]) {
  return useQuery({
    queryKey: ['programmes', 'preview', rules, areaPcodes],
    queryFn: ({ signal }) =>
      request<Preview>('POST', '/programmes/preview', {
        body: { rules, ...(areaPcodes.length > 0 ? { area_pcodes: areaPcodes } : {}) },
        signal,
      }),
    enabled: rules !== null,
    placeholderData: (previous) => previous,
    retry: false,
  });
}

export function useCreateProgramme() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { code: string; name_ar: string; name_en: string; rules: Rules }) =>
      api.post<Programme>('/programmes', input),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['programmes'] }),
  });
}

/** Changes a programme's names and/or rules (only the fields given). */
export function useUpdateProgramme(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (changes: { name_ar?: string; name_en?: string; rules?: Rules }) =>
      api.patch<Programme>(`/programmes/${encodeURIComponent(id)}`, changes),
    onSuccess: (programme) => {
      client.setQueryData(['programmes', id], programme);
      void client.invalidateQueries({ queryKey: ['programmes'] });
    },
  });
}

export function useCycles(filters: { status?: string | null; programme_id?: string | null } = {}) {
  return useQuery({
    queryKey: ['cycles', 'list', filters],
    queryFn: ({ signal }) =>
      api.get<{ items: Cycle[] }>(
        '/cycles',
        { status: filters.status, programme_id: filters.programme_id },
        signal,
      ),
    select: (data) => data.items,
  });
}

export function useCycle(id: string | undefined) {
  return useQuery({
    queryKey: ['cycles', id],
    queryFn: ({ signal }) =>
      api.get<Cycle>(`/cycles/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
    // While the server credits or expires households, look again every few seconds.
    refetchInterval: (query) =>
      query.state.data?.status === 'opening' || query.state.data?.status === 'closing'
        ? 3000
        : false,
  });
}

export function useCreateCycle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      programme_id: string;
      starts_on: string;
      ends_on: string;
      area_pcodes: string[];
    }) => api.post<Cycle>('/cycles', input),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['cycles'] }),
  });
}

export type CycleAction = 'open' | 'households' | 'close';

export function useCycleAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: CycleAction) =>
      api.post<Cycle>(`/cycles/${encodeURIComponent(id)}/${action}`),
    onSuccess: (cycle) => {
      client.setQueryData(['cycles', id], cycle);
      void client.invalidateQueries({ queryKey: ['cycles', 'list'] });
      void client.invalidateQueries({ queryKey: ['households'] });
    },
  });
}
