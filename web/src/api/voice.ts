/** Messages, the inbox, circulars and meetings; types from the API's schemas. */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import type * as circulars from '../../../src/modules/circulars/circulars.schema.js';
import type * as meetings from '../../../src/modules/meetings/meetings.schema.js';
import type * as messaging from '../../../src/modules/messaging/messaging.schema.js';
import { api } from './client';
import { useWrite } from './lists';
import type { Page } from './types';

export type MessageView = Static<typeof messaging.Message>;
export type InboxItem = Static<typeof messaging.InboxList>['items'][number];
export type CircularView = Static<typeof circulars.Circular>;
export type ReachView = Static<typeof circulars.Reach>;
export type MeetingView = Static<typeof meetings.Meeting>;
export type RegistrationView = Static<typeof meetings.Registration>;
export type VenueView = Static<typeof meetings.Venue>;
export type ActionItemView = Static<typeof meetings.ActionItem>;
export type CreateCircularInput = Static<typeof circulars.CreateCircularBody>;

const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

export const useMessages = (filters: {
  status?: string;
  source_kind?: string;
  source_id?: string;
}) =>
  useInfiniteQuery({
    queryKey: ['messages', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<MessageView>>(
        '/messages',
        { ...filters, limit: 100, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
export const useResend = () =>
  useWrite((id: string) => api.post<MessageView>(`/messages/${path(id)}/resend`), 'messages');

export const useInbox = () =>
  useQuery({
    queryKey: ['inbox'],
    queryFn: ({ signal }) => api.get<Page<InboxItem>>('/inbox', { limit: 200 }, signal),
    select: (page) => [...page.items].reverse(),
  });
export const useMarkRead = () =>
  useWrite((id: string) => api.post<unknown>(`/inbox/${path(id)}/read`), 'inbox');
export const useAcknowledge = () =>
  useWrite(
    (id: string) => api.post<unknown>(`/circulars/${path(id)}/acknowledge`),
    'inbox',
    'reach',
  );

export const useCirculars = () =>
  useQuery({
    queryKey: ['circulars'],
    queryFn: ({ signal }) => api.get<Page<CircularView>>('/circulars', { limit: 200 }, signal),
    select: (page) => page.items,
  });
export const useCreateCircular = () =>
  useWrite(
    (input: CreateCircularInput) => api.post<CircularView>('/circulars', input),
    'circulars',
  );
export const usePublish = () =>
  useWrite(
    (id: string) => api.post<unknown>(`/circulars/${path(id)}/publish`),
    'circulars',
    'reach',
  );
export const useRemind = () =>
  useWrite(
    (id: string) => api.post<{ reminded: number }>(`/circulars/${path(id)}/remind`),
    'reach',
  );
export const useReach = (id: string | null) =>
  useQuery({
    queryKey: ['reach', id],
    queryFn: ({ signal }) => api.get<ReachView>(`/circulars/${path(id ?? '')}/reach`, {}, signal),
    enabled: id !== null,
    refetchInterval: 10_000,
  });

export const useMeetings = () =>
  useQuery({
    queryKey: ['meetings'],
    queryFn: ({ signal }) => api.get<Page<MeetingView>>('/meetings', { limit: 200 }, signal),
    select: (page) => page.items,
  });
export const useVenues = () =>
  useQuery({
    queryKey: ['venues'],
    queryFn: ({ signal }) => api.get<{ items: VenueView[] }>('/venues', {}, signal),
    select: (page) => page.items,
  });
export const useRegistrations = (meetingId: string | null) =>
  useQuery({
    queryKey: ['registrations', meetingId],
    queryFn: ({ signal }) =>
      api.get<Page<RegistrationView>>(
        `/meetings/${path(meetingId ?? '')}/registrations`,
        { limit: 200 },
        signal,
      ),
    enabled: meetingId !== null,
    select: (page) => page.items,
  });
export const useRegister = (meetingId: string) =>
  useWrite(
    (input: { name: string; phone?: string }) =>
      api.post<RegistrationView & { checkin_code: string }>(
        `/meetings/${path(meetingId)}/registrations`,
        input,
      ),
    'registrations',
    'meetings',
  );
export const useCancelRegistration = (meetingId: string) =>
  useWrite(
    (id: string) => api.delete<unknown>(`/meetings/${path(meetingId)}/registrations/${path(id)}`),
    'registrations',
    'meetings',
  );
export const useCheckIn = (meetingId: string) =>
  useWrite(
    (code: string) => api.post<RegistrationView>(`/meetings/${path(meetingId)}/check-in`, { code }),
    'registrations',
  );
export const useActionItems = (meetingId: string | null) =>
  useQuery({
    queryKey: ['action-items', meetingId],
    queryFn: ({ signal }) =>
      api.get<{ items: ActionItemView[] }>(
        '/action-items',
        { meeting_id: meetingId ?? undefined },
        signal,
      ),
    enabled: meetingId !== null,
    select: (page) => page.items,
  });
