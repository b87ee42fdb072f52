/** Cycles: the list by status, and a new cycle of a programme over a period and areas. */
import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useCreateCycle, useCycles, useProgrammes } from '../../api/planning';
import type { Cycle } from '../../api/types';
import { AreaListInput } from '../../components/AreaListInput';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { toWesternDigits } from '../../lib/digits';
import { useFormat } from '../../lib/format';
import { cycleStatuses } from '../../../../src/shared/vocabulary.js';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';
import { useCan } from '../../lib/use-can';

export function CycleStatusBadge({ status }: { status: Cycle['status'] }) {
  const { t } = useTranslation();
  const color =
    { draft: 'gray', opening: 'blue', open: 'teal', closing: 'orange', closed: 'dark' }[status] ??
    'gray';
  return (
    <Badge color={color} variant="light">
      {t(`cycles.statuses.${status}`)}
    </Badge>
  );
}

function NewCycle({ programmeId, onDone }: { programmeId: string | null; onDone: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const localName = useLocalName();
  const programmes = useProgrammes();
  const create = useCreateCycle();
  const [programme, setProgramme] = useState<string | null>(programmeId);
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [areas, setAreas] = useState<string[]>([]);
  const errors = fieldErrors(t, create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        programme_id: programme ?? '',
        starts_on: toWesternDigits(startsOn),
        ends_on: toWesternDigits(endsOn),
        area_pcodes: areas,
      },
      { onSuccess: (cycle) => navigate(`/cycles/${cycle.id}`) },
    );
  };
  return (
    <Paper
      withBorder
      p="md"
      mb="md"
      component="form"
      onSubmit={submit}
      noValidate
      aria-label={t('cycles.create')}
    >
      <Title order={3} size="h4" mb="sm">
        {t('cycles.create')}
      </Title>
      <Stack gap="sm">
        <ProblemAlert error={create.error} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('cycles.programme')}
            required
            data={(programmes.data ?? []).map((item) => ({
              value: item.id,
              label: localName(item),
            }))}
            value={programme}
            onChange={setProgramme}
            error={errors.programme_id}
            name="programme_id"
          />
          <TextInput
            type="date"
            label={t('cycles.startsOn')}
            required
            value={startsOn}
            onChange={(event) => setStartsOn(event.currentTarget.value)}
            error={errors.starts_on}
            name="starts_on"
          />
          <TextInput
            type="date"
            label={t('cycles.endsOn')}
            required
            value={endsOn}
            onChange={(event) => setEndsOn(event.currentTarget.value)}
            error={errors.ends_on}
            name="ends_on"
          />
        </SimpleGrid>
        <AreaListInput
          label={t('cycles.areas')}
          value={areas}
          onChange={setAreas}
          error={errors.area_pcodes}
        />
        <Group>
          <Button type="submit" loading={create.isPending}>
            {t('cycles.createSubmit')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

export default function CycleList() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<string | null>(null);
  const cycles = useCycles({ status });
  const programmes = useProgrammes();
  const mayPlan = useCan('cycles.write');
  const creating = params.has('new') || params.has('programme');
  const programmeName = (id: string) => {
    const programme = programmes.data?.find((item) => item.id === id);
    return programme ? localName(programme) : id.slice(0, 8);
  };
  return (
    <>
      <PageHeader
        title={t('cycles.title')}
        actions={
          mayPlan &&
          !creating && (
            <Button onClick={() => setParams({ new: '1' })} data-testid="new-cycle">
              {t('cycles.create')}
            </Button>
          )
        }
      />
      {creating && mayPlan && (
        <NewCycle programmeId={params.get('programme')} onDone={() => setParams({})} />
      )}
      <Select
        label={t('common.status')}
        clearable
        value={status}
        onChange={setStatus}
        data={cycleStatuses.map((value) => ({ value, label: t(`cycles.statuses.${value}`) }))}
        maw={260}
        mb="md"
      />
      <QueryState isPending={cycles.isPending} error={cycles.error}>
        {(cycles.data ?? []).length === 0 ? (
          <Text c="dimmed">{t('common.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={620}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('cycles.programme')}</Table.Th>
                  <Table.Th>{t('cycles.period')}</Table.Th>
                  <Table.Th>{t('cycles.areas')}</Table.Th>
                  <Table.Th>{t('cycles.credited')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(cycles.data ?? []).map((cycle) => (
                  <Table.Tr key={cycle.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/cycles/${cycle.id}`}>
                        {programmeName(cycle.programme_id)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {format.date(cycle.starts_on)} – {format.date(cycle.ends_on)}
                    </Table.Td>
                    <Table.Td className="ltr-value">{cycle.area_pcodes.join(', ')}</Table.Td>
                    <Table.Td className="numeric">
                      {format.number(cycle.households_credited)}
                    </Table.Td>
                    <Table.Td>
                      <CycleStatusBadge status={cycle.status} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </>
  );
}
