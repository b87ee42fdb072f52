/** Administration: users, org units, areas, partners, service points and device tokens. */
import type { Role } from '../../../src/shared/roles.js';
import { api } from './client';
import { useList, useWrite } from './lists';
import type { Area } from './types';

export interface User {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  scope: string[];
  /** The service points the user works at; empty: any in scope. */
  service_points: string[];
  disabled: boolean;
  created_at: string;
}

export interface OrgUnit {
  id: string;
  parent_id: string | null;
  kind: 'branch' | 'section' | 'unit' | string;
  name_ar: string;
  name_en: string;
  path: string;
  area_pcodes: string[];
}

export interface Partner {
  id: string;
  kind: string;
  name_ar: string;
  name_en: string;
  area_pcode: string;
  created_at: string;
}

export interface ServicePoint {
  id: string;
  partner_id: string | null;
  name_ar: string;
  name_en: string;
  area_pcode: string;
  /** What it hands out; null: every commodity. */
  commodities?: string[] | null;
  created_at: string;
}

export interface Token {
  id: string;
  kind: 'device' | 'integration';
  name: string;
  user_id: string;
  created_at: string;
  revoked_at: string | null;
  token?: string;
}

export const useUsers = () => useList<User>('users', '/users');
export const useCreateUser = () =>
  useWrite(
    (input: {
      username: string;
      display_name: string;
      role: Role;
      password: string;
      scope: string[];
      service_points: string[];
    }) => api.post<User>('/users', input),
    'users',
  );
export const useUpdateUser = () =>
  useWrite(
    ({
      id,
      ...change
    }: {
      id: string;
      role?: Role;
      scope?: string[];
      service_points?: string[];
      disabled?: boolean;
      display_name?: string;
    }) => api.patch<User>(`/users/${encodeURIComponent(id)}`, change),
    'users',
  );
export const useSetPassword = () =>
  useWrite(
    ({ id, password }: { id: string; password: string }) =>
      api.post<null>(`/users/${encodeURIComponent(id)}/password`, { password }),
    'users',
  );

export const useOrgUnits = (enabled = true) =>
  useList<OrgUnit>('org-units', '/org-units', undefined, enabled);
export const useCreateOrgUnit = () =>
  useWrite(
    (input: {
      parent_id: string | null;
      kind: string;
      name_ar: string;
      name_en: string;
      area_pcodes: string[];
    }) => api.post<OrgUnit>('/org-units', input),
    'org-units',
  );
export const useUpdateOrgUnit = () =>
  useWrite(
    ({
      id,
      ...change
    }: {
      id: string;
      name_ar?: string;
      name_en?: string;
      area_pcodes?: string[];
    }) => api.patch<OrgUnit>(`/org-units/${encodeURIComponent(id)}`, change),
    'org-units',
  );

export const useAreaChildren = (parent: string | null) =>
  useList<Area>('areas', '/areas', parent ? { parent } : { level: 'governorate' });
export const useCreateCommunity = () =>
  useWrite(
    (input: {
      pcode: string;
      parent_pcode: string;
      kind: string;
      name_ar: string;
      name_en: string;
      latitude?: number;
      longitude?: number;
    }) => api.post<Area>('/areas', input),
    'areas',
  );

export const partnerKinds = [
  'health_directorate',
  'consumer_corporation',
  'bakery',
  'municipality',
  'other',
] as const;
export const usePartners = (kind?: string | null) =>
  useList<Partner>('partners', '/partners', { kind: kind ?? undefined });
export const useCreatePartner = () =>
  useWrite(
    (input: { kind: string; name_ar: string; name_en: string; area_pcode: string }) =>
      api.post<Partner>('/partners', input),
    'partners',
  );

export const useServicePoints = (query?: { area?: string; partner_id?: string }) =>
  useList<ServicePoint>('service-points', '/service-points', query);
export const useCreateServicePoint = () =>
  useWrite(
    (input: { name_ar: string; name_en: string; area_pcode: string; partner_id: string | null }) =>
      api.post<ServicePoint>('/service-points', input),
    'service-points',
  );

export const useTokens = () => useList<Token>('tokens', '/tokens');
export const useCreateToken = () =>
  useWrite(
    (input: { kind: 'device' | 'integration'; name: string; user_id?: string }) =>
      api.post<Token>('/tokens', input),
    'tokens',
  );
export const useRevokeToken = () =>
  useWrite((id: string) => api.delete<null>(`/tokens/${encodeURIComponent(id)}`), 'tokens');
