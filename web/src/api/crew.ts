/** Volunteers, trainings, teams, field devices and the exception queue; types from the API's schemas. */
import { useQuery } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import type {
  DeviceView,
  Enrolment,
  FieldExceptionView,
} from '../../../src/modules/sync/sync.schema.js';
import type { CreateTeamInput, TeamView } from '../../../src/modules/teams/teams.schema.js';
import type { TrainingView } from '../../../src/modules/trainings/trainings.schema.js';
import type {
  AddPermitInput,
  AddTrainingInput,
  CreateVolunteerInput,
  PpeIssueInput,
  StatusInput,
  VolunteerDetail,
  VolunteerView,
} from '../../../src/modules/volunteers/volunteers.schema.js';
import { api } from './client';
import { useList, useWrite } from './lists';

export type { DeviceView, FieldExceptionView, TeamView, TrainingView, VolunteerView };
export type VolunteerDetailView = Static<typeof VolunteerDetail>;
export type EnrolmentView = Static<typeof Enrolment>;
export type TeamInput = CreateTeamInput;

const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

export const useVolunteers = (query: { status?: string; without_permit?: string } = {}) =>
  useList<VolunteerView>('volunteers', '/volunteers', query);
export const useVolunteer = (id: string) =>
  useQuery({
    queryKey: ['volunteers', 'detail', id],
    queryFn: ({ signal }) =>
      api.get<VolunteerDetailView>(`/volunteers/${path(id)}`, undefined, signal),
  });
export const useSkills = () =>
  useList<{ code: string; label_ar: string; label_en: string }>('skills', '/volunteers/skills');
export const useCreateVolunteer = () =>
  useWrite(
    (input: CreateVolunteerInput) => api.post<VolunteerView>('/volunteers', input),
    'volunteers',
  );
export const useChangeStatus = (id: string) =>
  useWrite(
    (input: StatusInput) => api.post<VolunteerView>(`/volunteers/${path(id)}/status`, input),
    'volunteers',
  );
export const useAddTrainingRecord = (id: string) =>
  useWrite(
    (input: AddTrainingInput) => api.post<unknown>(`/volunteers/${path(id)}/trainings`, input),
    'volunteers',
    'expiring',
  );
export const useAddPermit = (id: string) =>
  useWrite(
    (input: AddPermitInput) => api.post<unknown>(`/volunteers/${path(id)}/permits`, input),
    'volunteers',
  );
export const useIssuePpe = (id: string) =>
  useWrite(
    (input: PpeIssueInput) => api.post<unknown>(`/volunteers/${path(id)}/ppe`, input),
    'volunteers',
  );

export const useTrainings = () => useList<TrainingView>('trainings', '/trainings');
export const useCreateTraining = () =>
  useWrite(
    (input: { code: string; name_ar: string; name_en: string; valid_days: string }) =>
      api.post<TrainingView>('/trainings', input),
    'trainings',
  );
export const useExpiringTrainings = (days = 30) =>
  useList<{
    volunteer_id: string;
    given_name: string;
    family_name: string;
    training_code: string;
    expires_on: string;
  }>('expiring', '/volunteers/expiring-trainings', { days: String(days) });

export const useTeams = () => useList<TeamView>('teams', '/teams');
export const useSaveTeam = () =>
  useWrite(
    ({ id, ...input }: TeamInput & { id?: string }) =>
      id ? api.put<TeamView>(`/teams/${path(id)}`, input) : api.post<TeamView>('/teams', input),
    'teams',
  );

export const useFieldExceptions = (status: string | null) =>
  useList<FieldExceptionView>('field-exceptions', '/field-exceptions', {
    status: status ?? undefined,
  });
export const useResolveException = () =>
  useWrite(
    ({ id, reason }: { id: string; reason?: string }) =>
      reason === undefined
        ? api.post<FieldExceptionView>(`/field-exceptions/${path(id)}/approve`, {})
        : api.post<FieldExceptionView>(`/field-exceptions/${path(id)}/reject`, { reason }),
    'field-exceptions',
  );

export const useDevices = () => useList<DeviceView>('field-devices', '/field-devices');
export const useEnrolDevice = () =>
  useWrite(
    (input: { volunteer_id: string; name: string }) =>
      api.post<EnrolmentView>('/field-devices', input),
    'field-devices',
  );
export const useRevokeDevice = () =>
  useWrite((id: string) => api.delete<null>(`/field-devices/${path(id)}`), 'field-devices');
