/** The shapes most screens share: a list endpoint answering `{ items }`, and a write that refreshes lists. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

/** A list endpoint answering `{ items }`, as a query. */
export function useList<T>(
  key: string,
  path: string,
  query?: Record<string, string | undefined>,
  enabled = true,
) {
  return useQuery({
    queryKey: [key, query ?? {}],
    queryFn: ({ signal }) => api.get<{ items: T[] }>(path, query, signal),
    select: (data) => data.items,
    enabled,
  });
}

/** A write that refreshes the named lists when it succeeds. */
export function useWrite<I, O>(write: (input: I) => Promise<O>, ...keys: string[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => {
      for (const key of keys) void client.invalidateQueries({ queryKey: [key] });
    },
  });
}
