/** Volunteers in scope, with what each misses to be dispatched today; register a volunteer. */
import {
  Anchor,
  Checkbox,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Table,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useOrgUnits } from '../../api/admin';
import { useCreateVolunteer, useSkills, useVolunteers } from '../../api/crew';
import { AreaSelect } from '../../components/AreaSelect';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useCan } from '../../lib/use-can';
import { useLocalName, useLabel } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';
import { Readiness, volunteerName, volunteerStatuses } from './common';

const emptyDraft = {
  given_name: '',
  family_name: '',
  name_latin: '',
  phone: '',
  national_id: '',
  sex: null as 'female' | 'male' | null,
  birth_year: '',
  org_unit_id: null as string | null,
  area_pcode: null as string | null,
  skills: [] as string[],
};

export default function Volunteers() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const label = useLabel();
  const mayWrite = useCan('volunteers.write');
  const [status, setStatus] = useState<string | null>('active');
  const [withoutPermit, setWithoutPermit] = useState(false);
  const volunteers = useVolunteers({
    ...(status ? { status } : {}),
    ...(withoutPermit ? { without_permit: 'true' } : {}),
  });
  const skills = useSkills();
  const orgUnits = useOrgUnits(mayWrite);
  const create = useCreateVolunteer();
  const [draft, setDraft] = useState(emptyDraft);
  const errors = fieldErrors(t, create.error);
  const statusOptions = volunteerStatuses.map((value) => ({
    value,
    label: t(`crew.statuses.${value}`),
  }));
  const skillLabel = (code: string) =>
    label(
      skills.data?.find((each) => each.code === code),
      code,
    );
  return (
    <>
      <PageHeader title={t('menu.volunteers')} />
      {mayWrite && (
        <CreatePanel
          title={t('crew.registerVolunteer')}
          pending={create.isPending}
          onSubmit={() =>
            settled((callbacks) =>
              create.mutate(
                {
                  given_name: draft.given_name,
                  family_name: draft.family_name,
                  name_latin: draft.name_latin || null,
                  phone: draft.phone,
                  national_id: draft.national_id || null,
                  sex: draft.sex,
                  birth_year: draft.birth_year || null,
                  org_unit_id: draft.org_unit_id ?? '',
                  area_pcode: draft.area_pcode ?? '',
                  skills: draft.skills,
                },
                {
                  onSuccess: () => {
                    setDraft(emptyDraft);
                    callbacks.onSuccess();
                  },
                  onError: callbacks.onError,
                },
              ),
            )
          }
        >
          <ProblemAlert error={create.error} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('crew.givenName')}
              required
              value={draft.given_name}
              error={errors.given_name}
              onChange={(event) => setDraft({ ...draft, given_name: event.currentTarget.value })}
            />
            <TextInput
              label={t('crew.familyName')}
              required
              value={draft.family_name}
              error={errors.family_name}
              onChange={(event) => setDraft({ ...draft, family_name: event.currentTarget.value })}
            />
            <TextInput
              label={t('crew.nameLatin')}
              dir="ltr"
              value={draft.name_latin}
              error={errors.name_latin}
              onChange={(event) => setDraft({ ...draft, name_latin: event.currentTarget.value })}
            />
            <TextInput
              label={t('crew.phone')}
              required
              dir="ltr"
              inputMode="tel"
              value={draft.phone}
              error={errors.phone}
              onChange={(event) => setDraft({ ...draft, phone: event.currentTarget.value })}
            />
            <TextInput
              label={t('crew.nationalId')}
              dir="ltr"
              inputMode="numeric"
              value={draft.national_id}
              error={errors.national_id}
              onChange={(event) => setDraft({ ...draft, national_id: event.currentTarget.value })}
            />
            <Select
              label={t('crew.sex')}
              clearable
              data={[
                { value: 'female', label: t('crew.sexes.female') },
                { value: 'male', label: t('crew.sexes.male') },
              ]}
              value={draft.sex}
              onChange={(value) => setDraft({ ...draft, sex: value as typeof draft.sex })}
            />
            <TextInput
              label={t('crew.birthYear')}
              inputMode="numeric"
              value={draft.birth_year}
              error={errors.birth_year}
              onChange={(event) => setDraft({ ...draft, birth_year: event.currentTarget.value })}
            />
            <Select
              label={t('crew.orgUnit')}
              required
              searchable
              data={(orgUnits.data ?? []).map((unit) => ({
                value: unit.id,
                label: localName(unit),
              }))}
              value={draft.org_unit_id}
              error={errors.org_unit_id}
              onChange={(org_unit_id) => setDraft({ ...draft, org_unit_id })}
            />
            <AreaSelect
              label={t('crew.homeArea')}
              required
              value={draft.area_pcode}
              error={errors.area_pcode}
              onChange={(area_pcode) => setDraft({ ...draft, area_pcode })}
            />
            <MultiSelect
              label={t('crew.skills')}
              data={(skills.data ?? []).map((skill) => ({
                value: skill.code,
                label: skillLabel(skill.code),
              }))}
              value={draft.skills}
              error={errors.skills}
              onChange={(value) => setDraft({ ...draft, skills: value })}
            />
          </SimpleGrid>
        </CreatePanel>
      )}
      <Group mb="md" align="flex-end">
        <Select
          label={t('common.status')}
          clearable
          data={statusOptions}
          value={status}
          onChange={setStatus}
          maw={220}
        />
        <Checkbox
          label={t('crew.withoutPermit')}
          checked={withoutPermit}
          onChange={(event) => setWithoutPermit(event.currentTarget.checked)}
        />
      </Group>
      <QueryState isPending={volunteers.isPending} error={volunteers.error}>
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="volunteers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.name')}</Table.Th>
                <Table.Th>{t('common.area')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
                <Table.Th>{t('crew.skills')}</Table.Th>
                <Table.Th>{t('crew.toDispatch')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(volunteers.data ?? []).map((volunteer) => (
                <Table.Tr key={volunteer.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/volunteers/${volunteer.id}`}>
                      {volunteerName(volunteer)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td className="ltr-value">{volunteer.area_pcode}</Table.Td>
                  <Table.Td>{t(`crew.statuses.${volunteer.status}`)}</Table.Td>
                  <Table.Td>
                    {volunteer.skills.map(skillLabel).join(t('common.listSeparator'))}
                  </Table.Td>
                  <Table.Td>
                    <Readiness volunteer={volunteer} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {volunteers.data?.length === 0 && <p>{t('common.noResults')}</p>}
      </QueryState>
    </>
  );
}
