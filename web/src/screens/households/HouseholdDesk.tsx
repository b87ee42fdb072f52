/**
 * The parts of a household's record the counter uses: its proxies (people outside the
 * household who may collect for it) and its home service point in each programme that sets one.
 */
import { Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServicePoints } from '../../api/admin';
import { api } from '../../api/client';
import { useProgrammes } from '../../api/planning';
import { ProblemAlert, QueryState } from '../../components/Page';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';
import { useCan } from '../../lib/use-can';

interface Proxy {
  id: string;
  name: string;
  relation: string | null;
  national_id: string | null;
}

interface Home {
  programme_id: string;
  programme_name_ar: string;
  programme_name_en: string;
  service_point_id: string;
  service_point_name_ar: string;
  service_point_name_en: string;
}

const householdPath = (id: string) => `/households/${encodeURIComponent(id)}`;

export function useProxies(householdId: string, enabled = true) {
  return useQuery({
    queryKey: ['households', householdId, 'proxies'],
    queryFn: async () =>
      (await api.get<{ items: Proxy[] }>(`${householdPath(householdId)}/proxies`)).items,
    enabled,
  });
}

export function HouseholdProxies({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const mayEdit = useCan('households.write');
  const proxies = useProxies(householdId);
  const [draft, setDraft] = useState({ name: '', relation: '', national_id: '' });
  const refresh = () =>
    client.invalidateQueries({ queryKey: ['households', householdId, 'proxies'] });
  const add = useMutation({
    mutationFn: () =>
      api.post<Proxy>(`${householdPath(householdId)}/proxies`, {
        name: draft.name,
        ...(draft.relation.trim() ? { relation: draft.relation } : {}),
        ...(draft.national_id.trim() ? { national_id: draft.national_id } : {}),
      }),
    onSuccess: () => {
      setDraft({ name: '', relation: '', national_id: '' });
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      api.delete<void>(`${householdPath(householdId)}/proxies/${encodeURIComponent(id)}`),
    onSuccess: () => void refresh(),
  });
  const errors = fieldErrors(t, add.error);
  return (
    <Stack gap="sm" data-testid="proxies">
      <Text size="sm" c="dimmed">
        {t('desk.proxiesHint')}
      </Text>
      <QueryState isPending={proxies.isPending} error={proxies.error}>
        {(proxies.data ?? []).length === 0 ? (
          <Text c="dimmed">{t('desk.noProxies')}</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('desk.proxyName')}</Table.Th>
                <Table.Th>{t('desk.proxyRelation')}</Table.Th>
                <Table.Th>{t('desk.proxyNationalId')}</Table.Th>
                {mayEdit && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(proxies.data ?? []).map((proxy) => (
                <Table.Tr key={proxy.id}>
                  <Table.Td>{proxy.name}</Table.Td>
                  <Table.Td>{proxy.relation ?? '—'}</Table.Td>
                  <Table.Td className="ltr-value">{proxy.national_id ?? '—'}</Table.Td>
                  {mayEdit && (
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() => remove.mutate(proxy.id)}
                      >
                        {t('desk.removeProxy')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {mayEdit && (
        <>
          <ProblemAlert error={add.error ?? remove.error} />
          <Group align="flex-start">
            <TextInput
              label={t('desk.proxyName')}
              value={draft.name}
              error={errors.name}
              onChange={(event) => setDraft({ ...draft, name: event.currentTarget.value })}
              required
            />
            <TextInput
              label={t('desk.proxyRelation')}
              value={draft.relation}
              error={errors.relation}
              onChange={(event) => setDraft({ ...draft, relation: event.currentTarget.value })}
            />
            <TextInput
              label={t('desk.proxyNationalId')}
              value={draft.national_id}
              error={errors.national_id}
              inputMode="numeric"
              dir="ltr"
              onChange={(event) => setDraft({ ...draft, national_id: event.currentTarget.value })}
            />
          </Group>
          <Group>
            <Button
              onClick={() => add.mutate()}
              loading={add.isPending}
              disabled={!draft.name.trim()}
              data-testid="add-proxy"
            >
              {t('desk.addProxy')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}

export function HouseholdHomes({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const client = useQueryClient();
  const mayWrite = useCan('households.write');
  const mayReadProgrammes = useCan('programmes.read');
  const mayEdit = mayWrite && mayReadProgrammes;
  const key = ['households', householdId, 'homes'];
  const homes = useQuery({
    queryKey: key,
    queryFn: async () =>
      (await api.get<{ items: Home[] }>(`${householdPath(householdId)}/home-service-points`)).items,
  });
  const programmes = useProgrammes();
  const points = useServicePoints();
  const [programme, setProgramme] = useState<string | null>(null);
  const [point, setPoint] = useState<string | null>(null);
  const set = useMutation({
    mutationFn: (input: { programme_id: string; service_point_id: string | null }) =>
      api.put<{ items: Home[] }>(`${householdPath(householdId)}/home-service-points`, input),
    onSuccess: (answer) => client.setQueryData(key, answer.items),
  });
  return (
    <Stack gap="sm" data-testid="homes">
      <Text size="sm" c="dimmed">
        {t('desk.homesHint')}
      </Text>
      <QueryState isPending={homes.isPending} error={homes.error}>
        {(homes.data ?? []).length === 0 ? (
          <Text c="dimmed">{t('desk.noHomes')}</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('desk.programme')}</Table.Th>
                <Table.Th>{t('desk.servicePoint')}</Table.Th>
                {mayEdit && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(homes.data ?? []).map((home) => (
                <Table.Tr key={home.programme_id}>
                  <Table.Td>
                    {localName({
                      name_ar: home.programme_name_ar,
                      name_en: home.programme_name_en,
                    })}
                  </Table.Td>
                  <Table.Td>
                    {localName({
                      name_ar: home.service_point_name_ar,
                      name_en: home.service_point_name_en,
                    })}
                  </Table.Td>
                  {mayEdit && (
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() =>
                          set.mutate({ programme_id: home.programme_id, service_point_id: null })
                        }
                      >
                        {t('desk.removeHome')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {mayEdit && (
        <>
          <ProblemAlert error={set.error} />
          <Group align="flex-end">
            <Select
              label={t('desk.programme')}
              value={programme}
              onChange={setProgramme}
              data={(programmes.data ?? []).map((item) => ({
                value: item.id,
                label: localName(item),
              }))}
              searchable
            />
            <Select
              label={t('desk.servicePoint')}
              value={point}
              onChange={setPoint}
              data={(points.data ?? []).map((item) => ({ value: item.id, label: localName(item) }))}
              searchable
            />
            <Button
              disabled={!programme || !point}
              loading={set.isPending}
              onClick={() =>
                programme &&
                point &&
                set.mutate({ programme_id: programme, service_point_id: point })
              }
              data-testid="set-home"
            >
              {t('desk.setHome')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
