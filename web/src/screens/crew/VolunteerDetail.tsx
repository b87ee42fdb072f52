/** One volunteer: status, trainings, permits, PPE issued, and the runs and hours worked. */
import {
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import {
  useAddPermit,
  useAddTrainingRecord,
  useChangeStatus,
  useIssuePpe,
  useTrainings,
  useVolunteer,
} from '../../api/crew';
import { AreaListInput } from '../../components/AreaListInput';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';
import { useCan } from '../../lib/use-can';
import { Readiness, volunteerName, volunteerStatuses } from './common';

/** A titled table of rows, or "none". */
function Section({ title, heads, rows }: { title: string; heads: string[]; rows: ReactNode[][] }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="sm">
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text c="dimmed">{t('common.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table striped aria-label={title}>
            <Table.Thead>
              <Table.Tr>
                {heads.map((head) => (
                  <Table.Th key={head}>{head}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((cells, index) => (
                <Table.Tr key={index}>
                  {cells.map((cell, column) => (
                    <Table.Td key={column}>{cell}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

export default function VolunteerDetail() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const mayWrite = useCan('volunteers.write');
  const detail = useVolunteer(id);
  const trainings = useTrainings();
  const changeStatus = useChangeStatus(id);
  const addTraining = useAddTrainingRecord(id);
  const addPermit = useAddPermit(id);
  const issuePpe = useIssuePpe(id);
  const [status, setStatus] = useState<{ status: string | null; on: string }>({
    status: null,
    on: '',
  });
  const [training, setTraining] = useState({
    training_code: null as string | null,
    completed_on: '',
    trainer: '',
    certificate_ref: '',
  });
  const [permit, setPermit] = useState({
    number: '',
    valid_from: '',
    valid_to: '',
    hours: '',
    area_pcodes: [] as string[],
  });
  const [ppe, setPpe] = useState({ item: '', quantity: '', issued_on: '', note: '' });
  const trainingName = (code: string) =>
    localName(trainings.data?.find((each) => each.code === code)) || code;
  const data = detail.data;
  const statusErrors = fieldErrors(t, changeStatus.error);
  const trainingErrors = fieldErrors(t, addTraining.error);
  const permitErrors = fieldErrors(t, addPermit.error);
  const ppeErrors = fieldErrors(t, issuePpe.error);
  return (
    <QueryState isPending={detail.isPending} error={detail.error}>
      {data && (
        <>
          <PageHeader title={volunteerName(data.volunteer)} />
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Text>
                {t('common.status')}:{' '}
                <strong data-testid="volunteer-status">
                  {t(`crew.statuses.${data.volunteer.status}`)}
                </strong>{' '}
                ({format.date(data.volunteer.status_on)})
              </Text>
              <Text>
                {t('common.area')}: <span className="ltr-value">{data.volunteer.area_pcode}</span>
              </Text>
              {data.volunteer.name_latin && <Text dir="ltr">{data.volunteer.name_latin}</Text>}
              {data.volunteer.phone && <Text dir="ltr">{data.volunteer.phone}</Text>}
              <Text>
                {t('crew.totalHours')}:{' '}
                {format.number(Math.round((data.total_minutes / 60) * 10) / 10)}
              </Text>
              <Readiness volunteer={data.volunteer} />
            </SimpleGrid>
            {mayWrite && (
              <Group
                mt="md"
                align="flex-end"
                component="form"
                aria-label={t('crew.changeStatus')}
                onSubmit={(event) => {
                  event.preventDefault();
                  if (status.status)
                    changeStatus.mutate({
                      status: status.status as (typeof volunteerStatuses)[number],
                      ...(status.on ? { on: status.on } : {}),
                    });
                }}
              >
                <Select
                  label={t('crew.newStatus')}
                  data={volunteerStatuses.map((value) => ({
                    value,
                    label: t(`crew.statuses.${value}`),
                  }))}
                  value={status.status}
                  error={statusErrors.status}
                  onChange={(value) => setStatus({ ...status, status: value })}
                />
                <TextInput
                  label={t('crew.statusOn')}
                  placeholder="YYYY-MM-DD"
                  dir="ltr"
                  value={status.on}
                  error={statusErrors.on}
                  onChange={(event) => setStatus({ ...status, on: event.currentTarget.value })}
                />
                <Button type="submit" loading={changeStatus.isPending} disabled={!status.status}>
                  {t('crew.changeStatus')}
                </Button>
              </Group>
            )}
            <ProblemAlert error={changeStatus.error} />
          </Paper>

          {mayWrite && (
            <CreatePanel
              title={t('crew.recordTraining')}
              pending={addTraining.isPending}
              onSubmit={() =>
                settled((callbacks) =>
                  addTraining.mutate(
                    {
                      training_code: training.training_code ?? '',
                      completed_on: training.completed_on,
                      trainer: training.trainer || null,
                      certificate_ref: training.certificate_ref || null,
                    },
                    callbacks,
                  ),
                )
              }
            >
              <ProblemAlert error={addTraining.error} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select
                  label={t('crew.training')}
                  required
                  data={(trainings.data ?? []).map((each) => ({
                    value: each.code,
                    label: localName(each),
                  }))}
                  value={training.training_code}
                  error={trainingErrors.training_code}
                  onChange={(training_code) => setTraining({ ...training, training_code })}
                />
                <TextInput
                  label={t('crew.completedOn')}
                  required
                  placeholder="YYYY-MM-DD"
                  dir="ltr"
                  value={training.completed_on}
                  error={trainingErrors.completed_on}
                  onChange={(event) =>
                    setTraining({ ...training, completed_on: event.currentTarget.value })
                  }
                />
                <TextInput
                  label={t('crew.trainer')}
                  value={training.trainer}
                  onChange={(event) =>
                    setTraining({ ...training, trainer: event.currentTarget.value })
                  }
                />
                <TextInput
                  label={t('crew.certificate')}
                  value={training.certificate_ref}
                  onChange={(event) =>
                    setTraining({ ...training, certificate_ref: event.currentTarget.value })
                  }
                />
              </SimpleGrid>
            </CreatePanel>
          )}
          <Section
            title={t('crew.trainings')}
            heads={[
              t('crew.training'),
              t('crew.completedOn'),
              t('crew.expiresOn'),
              t('crew.trainer'),
            ]}
            rows={data.trainings.map((record) => [
              trainingName(record.training_code),
              format.date(record.completed_on),
              format.date(record.expires_on),
              record.trainer ?? '',
            ])}
          />

          {mayWrite && (
            <CreatePanel
              title={t('crew.recordPermit')}
              pending={addPermit.isPending}
              onSubmit={() =>
                settled((callbacks) =>
                  addPermit.mutate(
                    {
                      number: permit.number,
                      valid_from: permit.valid_from,
                      valid_to: permit.valid_to,
                      area_pcodes: permit.area_pcodes,
                      hours: permit.hours || null,
                    },
                    callbacks,
                  ),
                )
              }
            >
              <ProblemAlert error={addPermit.error} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label={t('crew.permitNumber')}
                  required
                  value={permit.number}
                  error={permitErrors.number}
                  onChange={(event) => setPermit({ ...permit, number: event.currentTarget.value })}
                />
                <TextInput
                  label={t('crew.permitHours')}
                  placeholder="08:00-14:00"
                  dir="ltr"
                  value={permit.hours}
                  error={permitErrors.hours}
                  onChange={(event) => setPermit({ ...permit, hours: event.currentTarget.value })}
                />
                <TextInput
                  label={t('crew.validFrom')}
                  required
                  placeholder="YYYY-MM-DD"
                  dir="ltr"
                  value={permit.valid_from}
                  error={permitErrors.valid_from}
                  onChange={(event) =>
                    setPermit({ ...permit, valid_from: event.currentTarget.value })
                  }
                />
                <TextInput
                  label={t('crew.validTo')}
                  required
                  placeholder="YYYY-MM-DD"
                  dir="ltr"
                  value={permit.valid_to}
                  error={permitErrors.valid_to}
                  onChange={(event) =>
                    setPermit({ ...permit, valid_to: event.currentTarget.value })
                  }
                />
              </SimpleGrid>
              <AreaListInput
                label={t('crew.permitAreas')}
                value={permit.area_pcodes}
                error={permitErrors.area_pcodes}
                onChange={(area_pcodes) => setPermit({ ...permit, area_pcodes })}
              />
            </CreatePanel>
          )}
          <Section
            title={t('crew.permits')}
            heads={[
              t('crew.permitNumber'),
              t('crew.validFrom'),
              t('crew.validTo'),
              t('crew.permitAreas'),
              t('crew.permitHours'),
            ]}
            rows={data.permits.map((record) => [
              record.number,
              format.date(record.valid_from),
              format.date(record.valid_to),
              <span className="ltr-value">{record.area_pcodes.join(' ')}</span>,
              record.hours ?? '',
            ])}
          />

          {mayWrite && (
            <CreatePanel
              title={t('crew.issuePpe')}
              pending={issuePpe.isPending}
              onSubmit={() =>
                settled((callbacks) =>
                  issuePpe.mutate(
                    {
                      item: ppe.item,
                      quantity: ppe.quantity,
                      issued_on: ppe.issued_on,
                      note: ppe.note || null,
                    },
                    callbacks,
                  ),
                )
              }
            >
              <ProblemAlert error={issuePpe.error} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label={t('crew.ppeItem')}
                  required
                  value={ppe.item}
                  error={ppeErrors.item}
                  onChange={(event) => setPpe({ ...ppe, item: event.currentTarget.value })}
                />
                <TextInput
                  label={t('crew.quantity')}
                  required
                  inputMode="numeric"
                  value={ppe.quantity}
                  error={ppeErrors.quantity}
                  onChange={(event) => setPpe({ ...ppe, quantity: event.currentTarget.value })}
                />
                <TextInput
                  label={t('crew.issuedOn')}
                  required
                  placeholder="YYYY-MM-DD"
                  dir="ltr"
                  value={ppe.issued_on}
                  error={ppeErrors.issued_on}
                  onChange={(event) => setPpe({ ...ppe, issued_on: event.currentTarget.value })}
                />
                <TextInput
                  label={t('crew.note')}
                  value={ppe.note}
                  onChange={(event) => setPpe({ ...ppe, note: event.currentTarget.value })}
                />
              </SimpleGrid>
            </CreatePanel>
          )}
          <Section
            title={t('crew.ppe')}
            heads={[t('crew.ppeItem'), t('crew.quantity'), t('crew.issuedOn'), t('crew.note')]}
            rows={data.ppe.map((record) => [
              record.item,
              format.number(record.quantity),
              format.date(record.issued_on),
              record.note ?? '',
            ])}
          />
          <Section
            title={t('crew.runsAndHours')}
            heads={[t('common.date'), t('crew.run'), t('crew.hours')]}
            rows={data.runs.map((run) => [
              format.date(run.date),
              <span className="ltr-value">{run.run_id.slice(0, 8)}</span>,
              format.number(Math.round((run.minutes / 60) * 10) / 10),
            ])}
          />
        </>
      )}
    </QueryState>
  );
}
