/** Teams: leader, members, areas, what a run carries and the trainings members must hold. */
import { Button, MultiSelect, Select, SimpleGrid, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrgUnits } from '../../api/admin';
import { useCommodities } from '../../api/commodities';
import { useSaveTeam, useTeams, useTrainings, useVolunteers, type TeamView } from '../../api/crew';
import { AreaListInput } from '../../components/AreaListInput';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { toWesternDigits } from '../../lib/digits';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';
import { useCan } from '../../lib/use-can';
import { volunteerName } from './common';

interface Draft {
  id?: string;
  name: string;
  org_unit_id: string | null;
  leader_id: string | null;
  member_ids: string[];
  area_pcodes: string[];
  required_trainings: string[];
  max_stops: string;
  capacity: Record<string, string>;
}

const emptyDraft: Draft = {
  name: '',
  org_unit_id: null,
  leader_id: null,
  member_ids: [],
  area_pcodes: [],
  required_trainings: [],
  max_stops: '30',
  capacity: {},
};

function draftOf(team: TeamView): Draft {
  return {
    id: team.id,
    name: team.name,
    org_unit_id: team.org_unit_id,
    leader_id: team.leader_id,
    member_ids: team.member_ids.filter((id) => id !== team.leader_id),
    area_pcodes: team.area_pcodes,
    required_trainings: team.required_trainings,
    max_stops: String(team.max_stops),
    capacity: Object.fromEntries(
      Object.entries(team.capacity).map(([code, amount]) => [code, String(amount)]),
    ),
  };
}

export default function Teams() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const mayWrite = useCan('volunteers.write');
  const teams = useTeams();
  const volunteers = useVolunteers({});
  const trainings = useTrainings();
  const orgUnits = useOrgUnits(mayWrite);
  const commodities = useCommodities();
  const save = useSaveTeam();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [editing, setEditing] = useState(false);
  const errors = fieldErrors(t, save.error);
  const names = new Map((volunteers.data ?? []).map((each) => [each.id, volunteerName(each)]));
  const activeOptions = (volunteers.data ?? [])
    .filter((each) => each.status === 'active')
    .map((each) => ({ value: each.id, label: volunteerName(each) }));

  const submit = () =>
    settled((callbacks) =>
      save.mutate(
        {
          ...(draft.id ? { id: draft.id } : {}),
          name: draft.name,
          org_unit_id: draft.org_unit_id ?? '',
          leader_id: draft.leader_id ?? '',
          member_ids: draft.member_ids.filter((id) => id !== draft.leader_id),
          area_pcodes: draft.area_pcodes,
          required_trainings: draft.required_trainings,
          max_stops: Number(toWesternDigits(draft.max_stops)) || 0,
          capacity: Object.fromEntries(
            Object.entries(draft.capacity)
              .filter(([, amount]) => amount.trim() !== '')
              .map(([code, amount]) => [code, Number(toWesternDigits(amount.trim()))]),
          ),
        },
        {
          onSuccess: () => {
            setDraft(emptyDraft);
            setEditing(false);
            callbacks.onSuccess();
          },
          onError: callbacks.onError,
        },
      ),
    );

  const fields = (
    <>
      <ProblemAlert error={save.error} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('common.name')}
          required
          value={draft.name}
          error={errors.name}
          onChange={(event) => setDraft({ ...draft, name: event.currentTarget.value })}
        />
        <Select
          label={t('crew.orgUnit')}
          required
          searchable
          data={(orgUnits.data ?? []).map((unit) => ({ value: unit.id, label: localName(unit) }))}
          value={draft.org_unit_id}
          error={errors.org_unit_id}
          onChange={(org_unit_id) => setDraft({ ...draft, org_unit_id })}
        />
        <Select
          label={t('crew.leader')}
          required
          searchable
          data={activeOptions}
          value={draft.leader_id}
          error={errors.leader_id}
          onChange={(leader_id) => setDraft({ ...draft, leader_id })}
        />
        <MultiSelect
          label={t('crew.members')}
          searchable
          data={activeOptions.filter((option) => option.value !== draft.leader_id)}
          value={draft.member_ids}
          error={errors.member_ids}
          onChange={(member_ids) => setDraft({ ...draft, member_ids })}
        />
        <MultiSelect
          label={t('crew.requiredTrainings')}
          data={(trainings.data ?? []).map((each) => ({
            value: each.code,
            label: localName(each),
          }))}
          value={draft.required_trainings}
          error={errors.required_trainings}
          onChange={(required_trainings) => setDraft({ ...draft, required_trainings })}
        />
        <TextInput
          label={t('crew.maxStops')}
          inputMode="numeric"
          value={draft.max_stops}
          error={errors.max_stops}
          onChange={(event) => setDraft({ ...draft, max_stops: event.currentTarget.value })}
        />
        {[...(commodities.data?.values() ?? [])].map((commodity) => (
          <TextInput
            key={commodity.code}
            label={t('crew.capacityOf', {
              commodity: localName(commodity),
              unit: commodity.base_unit,
            })}
            inputMode="numeric"
            value={draft.capacity[commodity.code] ?? ''}
            error={errors[`capacity.${commodity.code}`]}
            onChange={(event) =>
              setDraft({
                ...draft,
                capacity: { ...draft.capacity, [commodity.code]: event.currentTarget.value },
              })
            }
          />
        ))}
      </SimpleGrid>
      <AreaListInput
        label={t('crew.areasServed')}
        value={draft.area_pcodes}
        error={errors.area_pcodes}
        onChange={(area_pcodes) => setDraft({ ...draft, area_pcodes })}
      />
    </>
  );

  return (
    <>
      <PageHeader title={t('menu.teams')} />
      {mayWrite && !editing && (
        <CreatePanel title={t('crew.createTeam')} pending={save.isPending} onSubmit={submit}>
          {fields}
        </CreatePanel>
      )}
      {mayWrite && editing && (
        <CreatePanel
          title={t('crew.editTeam', { name: draft.name })}
          pending={save.isPending}
          onSubmit={submit}
          open
          onClose={() => {
            setEditing(false);
            setDraft(emptyDraft);
          }}
        >
          {fields}
        </CreatePanel>
      )}
      <QueryState isPending={teams.isPending} error={teams.error}>
        <Table.ScrollContainer minWidth={720}>
          <Table striped data-testid="teams">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.name')}</Table.Th>
                <Table.Th>{t('crew.leader')}</Table.Th>
                <Table.Th>{t('crew.members')}</Table.Th>
                <Table.Th>{t('crew.areasServed')}</Table.Th>
                <Table.Th>{t('crew.maxStops')}</Table.Th>
                <Table.Th>{t('crew.requiredTrainings')}</Table.Th>
                {mayWrite && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(teams.data ?? []).map((team) => (
                <Table.Tr key={team.id}>
                  <Table.Td>{team.name}</Table.Td>
                  <Table.Td>{names.get(team.leader_id) ?? ''}</Table.Td>
                  <Table.Td>{format.number(team.member_ids.length)}</Table.Td>
                  <Table.Td className="ltr-value">{team.area_pcodes.join(' ')}</Table.Td>
                  <Table.Td>{format.number(team.max_stops)}</Table.Td>
                  <Table.Td className="ltr-value">{team.required_trainings.join(' ')}</Table.Td>
                  {mayWrite && (
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        variant="light"
                        aria-label={t('crew.editTeam', { name: team.name })}
                        onClick={() => {
                          save.reset();
                          setDraft(draftOf(team));
                          setEditing(true);
                        }}
                      >
                        {t('common.edit')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </QueryState>
    </>
  );
}
