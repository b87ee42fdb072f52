/** Delivery runs for the office: the board, a run, plan a day, move a stop, dispatch and close. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type RunStatus = 'planned' | 'dispatched' | 'in_progress' | 'closed';

export interface RunItem {
  commodity: string;
  quantity: number;
}

export interface RunStop {
  id: string;
  household_id: string;
  sequence: number;
  items: RunItem[];
  state: 'planned' | 'reserved' | 'delivered' | 'partial' | 'failed' | 'voided';
  failed_reason: string | null;
  delivered: RunItem[] | null;
  latitude: number | null;
  longitude: number | null;
}

export interface RunProgress {
  stops: number;
  delivered: number;
  partial: number;
  failed: number;
  open: number;
  voided: number;
}

export interface RunListItem {
  id: string;
  cycle_id: string;
  team_id: string;
  date: string;
  source_service_point_id: string;
  area_pcodes: string[];
  status: RunStatus;
  created_at: string;
  dispatched_at: string | null;
  closed_at: string | null;
  progress: RunProgress;
  length_metres: number | null;
  depot: { latitude: number; longitude: number } | null;
}

export interface Run extends RunListItem {
  stops: RunStop[];
}

export interface PlanDayAnswer {
  runs: Run[];
  households: number;
  planned: number;
  unplanned: number;
  unplanned_household_ids: string[];
}

export interface Team {
  id: string;
  name: string;
  max_stops: number;
  capacity: Record<string, number>;
}

export interface Volunteer {
  id: string;
  given_name: string;
  family_name: string;
}

/** How often the board and a run look again, so progress shows as the field syncs. */
const refreshMs = 10_000;

export function useRuns(filters: { status?: string | null; date?: string | null } = {}) {
  return useQuery({
    queryKey: ['runs', 'list', filters],
    queryFn: ({ signal }) =>
      api.get<{ items: RunListItem[] }>(
        '/runs',
        { status: filters.status, date: filters.date },
        signal,
      ),
    select: (data) => data.items,
    refetchInterval: refreshMs,
  });
}

export function useRun(id: string | undefined) {
  return useQuery({
    queryKey: ['runs', id],
    queryFn: ({ signal }) =>
      api.get<Run>(`/runs/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
    refetchInterval: refreshMs,
  });
}

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: ['teams'],
    queryFn: ({ signal }) => api.get<{ items: Team[] }>('/teams', undefined, signal),
    select: (data) => data.items,
    enabled,
  });
}

export function useVolunteers(enabled = true) {
  return useQuery({
    queryKey: ['volunteers'],
    queryFn: ({ signal }) => api.get<{ items: Volunteer[] }>('/volunteers', undefined, signal),
    select: (data) => data.items,
    enabled,
  });
}

export function usePlanDay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      cycle_id: string;
      date: string;
      source_service_point_id: string;
      team_ids: string[];
      area_pcodes?: string[];
    }) => api.post<PlanDayAnswer>('/runs/plan-day', input),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['runs'] }),
  });
}

export function useMoveStop(runId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { stop_id: string; to_run_id: string }) =>
      api.post<{ from: Run; to: Run }>(
        `/runs/${encodeURIComponent(runId)}/stops/${encodeURIComponent(input.stop_id)}/move`,
        { to_run_id: input.to_run_id },
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['runs'] }),
  });
}

export function useRunAction(runId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: 'dispatch' | 'close') =>
      api.post<unknown>(`/runs/${encodeURIComponent(runId)}/${action}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['runs'] }),
  });
}
