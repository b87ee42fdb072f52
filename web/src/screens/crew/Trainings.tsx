/** The trainings catalogue, and the trainings of active volunteers expiring within 30 days. */
import { Anchor, SimpleGrid, Table, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useCreateTraining, useExpiringTrainings, useTrainings } from '../../api/crew';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';
import { useCan } from '../../lib/use-can';
import { volunteerName } from './common';

const emptyDraft = { code: '', name_ar: '', name_en: '', valid_days: '' };

export default function Trainings() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const mayWrite = useCan('volunteers.write');
  const trainings = useTrainings();
  const expiring = useExpiringTrainings(30);
  const create = useCreateTraining();
  const [draft, setDraft] = useState(emptyDraft);
  const errors = fieldErrors(t, create.error);
  const name = (code: string) =>
    localName(trainings.data?.find((training) => training.code === code)) || code;
  return (
    <>
      <PageHeader title={t('menu.trainings')} />
      {mayWrite && (
        <CreatePanel
          title={t('crew.createTraining')}
          pending={create.isPending}
          onSubmit={() =>
            settled((callbacks) =>
              create.mutate(draft, {
                onSuccess: () => {
                  setDraft(emptyDraft);
                  callbacks.onSuccess();
                },
                onError: callbacks.onError,
              }),
            )
          }
        >
          <ProblemAlert error={create.error} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('common.code')}
              required
              dir="ltr"
              value={draft.code}
              error={errors.code}
              onChange={(event) => setDraft({ ...draft, code: event.currentTarget.value })}
            />
            <TextInput
              label={t('crew.validDays')}
              required
              inputMode="numeric"
              value={draft.valid_days}
              error={errors.valid_days}
              onChange={(event) => setDraft({ ...draft, valid_days: event.currentTarget.value })}
            />
            <TextInput
              label={t('admin.nameAr')}
              required
              value={draft.name_ar}
              error={errors.name_ar}
              onChange={(event) => setDraft({ ...draft, name_ar: event.currentTarget.value })}
            />
            <TextInput
              label={t('admin.nameEn')}
              required
              dir="ltr"
              value={draft.name_en}
              error={errors.name_en}
              onChange={(event) => setDraft({ ...draft, name_en: event.currentTarget.value })}
            />
          </SimpleGrid>
        </CreatePanel>
      )}
      <QueryState isPending={trainings.isPending} error={trainings.error}>
        <Table striped aria-label={t('crew.catalogue')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.code')}</Table.Th>
              <Table.Th>{t('common.name')}</Table.Th>
              <Table.Th>{t('crew.validDays')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(trainings.data ?? []).map((training) => (
              <Table.Tr key={training.code}>
                <Table.Td className="ltr-value">{training.code}</Table.Td>
                <Table.Td>{localName(training)}</Table.Td>
                <Table.Td>{format.number(training.valid_days)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </QueryState>
      <Title order={3} size="h4" mt="lg" mb="sm">
        {t('crew.expiringWithin', { days: format.number(30) })}
      </Title>
      <QueryState isPending={expiring.isPending} error={expiring.error}>
        {expiring.data?.length === 0 ? (
          <p>{t('common.none')}</p>
        ) : (
          <Table striped data-testid="expiring" aria-label={t('crew.expiringWithin', { days: 30 })}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.name')}</Table.Th>
                <Table.Th>{t('crew.training')}</Table.Th>
                <Table.Th>{t('crew.expiresOn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(expiring.data ?? []).map((row) => (
                <Table.Tr key={`${row.volunteer_id}:${row.training_code}:${row.expires_on}`}>
                  <Table.Td>
                    <Anchor component={Link} to={`/volunteers/${row.volunteer_id}`}>
                      {volunteerName(row)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{name(row.training_code)}</Table.Td>
                  <Table.Td>{format.date(row.expires_on)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </>
  );
}
