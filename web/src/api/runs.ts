/** Delivery runs for the office: the board, a run, plan a day, move a stop, dispatch and close. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import type * as runs from '../../../src/modules/runs/runs.schema.js';
import type * as teams from '../../../src/modules/teams/teams.schema.js';
import type * as volunteers from '../../../src/modules/volunteers/volunteers.schema.js';
import { api } from './client';

export type Run = Static<typeof runs.Run>;
export type RunListItem = Static<typeof runs.RunListItem>;
export type RunStatus = RunListItem['status'];
export type RunStop = Run['stops'][number];
export type RunProgress = RunListItem['progress'];
export type PlanDayAnswer = Static<typeof runs.PlanDayResponse>;
export type PlanDayInput = Static<typeof runs.PlanDayBody>;
export type Team = Static<typeof teams.Team>;
export type Volunteer = Static<typeof volunteers.Volunteer>;

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
    mutationFn: (input: PlanDayInput) => api.post<PlanDayAnswer>('/runs/plan-day', input),
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

/** Keeps an order of the run's stops (every stop once), e.g. the page's preview. */
export function useSetRunOrder(runId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (stopIds: string[]) =>
      api.put<Run>(`/runs/${encodeURIComponent(runId)}/order`, { stop_ids: stopIds }),
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
