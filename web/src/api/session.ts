/** The signed-in user (`GET /me`), sign-in and sign-out. */
import { QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../../../src/shared/roles.js';
import { ApiError, api } from './client';

export interface Me {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  demo: boolean;
}

interface MeBody {
  id?: string;
  username?: string;
  display_name?: string | null;
  role?: Role;
  demo?: boolean;
  user?: { id: string; username: string; display_name?: string | null; role: Role };
}

/** Accepts the user at the top level or under `user`, with `demo` beside it. */
export function toMe(body: MeBody): Me {
  const user = body.user ?? body;
  return {
    id: user.id ?? '',
    username: user.username ?? '',
    display_name: user.display_name || user.username || '',
    role: (user.role ?? 'volunteer') as Role,
    demo: body.demo === true,
  };
}

export const meKey = ['me'] as const;

/** The current user, or null when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async (): Promise<Me | null> => {
      try {
        return toMe(await api.get<MeBody>('/me'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

/** Drops every cached answer but `me`, whose observer the shell keeps (clear() would orphan it). */
function forgetOtherQueries(client: QueryClient): void {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) =>
      api.post<MeBody>('/auth/login', input),
    onSuccess: async () => {
      forgetOtherQueries(client);
      await client.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<null>('/auth/logout'),
    onSettled: () => {
      client.setQueryData(meKey, null);
      forgetOtherQueries(client);
    },
  });
}
