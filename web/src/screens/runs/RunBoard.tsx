/** The runs board: runs by status with their team, day, stops, length and progress; plan a day. */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  MultiSelect,
  Paper,
  Progress,
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
import { Link } from 'react-router-dom';
import { runStatuses } from '../../../../src/shared/vocabulary.js';
import { useCycles, useProgrammes } from '../../api/planning';
import {
  usePlanDay,
  useRuns,
  useTeams,
  type RunListItem,
  type RunProgress,
  type RunStatus,
} from '../../api/runs';
import { AreaListInput } from '../../components/AreaListInput';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { ServicePointSelect } from '../../components/ServicePointSelect';
import { toWesternDigits } from '../../lib/digits';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';
import { useCan } from '../../lib/use-can';

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { t } = useTranslation();
  const color = { planned: 'blue', dispatched: 'orange', in_progress: 'teal', closed: 'dark' }[
    status
  ];
  return (
    <Badge color={color} variant="light">
      {t(`runs.statuses.${status}`)}
    </Badge>
  );
}

/** Kilometres with one decimal, in the user's digits. */
export function useLength() {
  const { t } = useTranslation();
  const format = useFormat();
  return (metres: number | null) =>
    metres === null ? '—' : t('runs.km', { value: format.number(Math.round(metres / 100) / 10) });
}

/** Delivered, failed and pending stops as a bar and in words. */
export function RunProgressBar({ progress }: { progress: RunProgress }) {
  const { t } = useTranslation();
  const format = useFormat();
  const done = progress.delivered + progress.partial;
  const share = (count: number) => (progress.stops === 0 ? 0 : (100 * count) / progress.stops);
  return (
    <Stack gap={2} miw={160}>
      <Progress.Root size="sm">
        <Progress.Section value={share(done)} color="teal" />
        <Progress.Section value={share(progress.failed)} color="red" />
      </Progress.Root>
      <Text size="xs" c="dimmed" data-testid="run-progress">
        {t('runs.progress', {
          delivered: format.number(done),
          failed: format.number(progress.failed),
          pending: format.number(progress.open),
        })}
      </Text>
    </Stack>
  );
}

function PlanDay({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const cycles = useCycles({ status: 'open' });
  const programmes = useProgrammes();
  const localName = useLocalName();
  const programmeName = (id: string) => {
    const programme = programmes.data?.find((item) => item.id === id);
    return programme ? `${localName(programme)} · ` : '';
  };
  const teams = useTeams();
  const plan = usePlanDay();
  const [cycle, setCycle] = useState<string | null>(null);
  const [date, setDate] = useState('');
  const [servicePoint, setServicePoint] = useState<string | null>(null);
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [areas, setAreas] = useState<string[]>([]);
  const errors = fieldErrors(t, plan.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    plan.mutate({
      cycle_id: cycle ?? '',
      date: toWesternDigits(date),
      source_service_point_id: servicePoint ?? '',
      team_ids: teamIds,
      ...(areas.length > 0 ? { area_pcodes: areas } : {}),
    });
  };
  return (
    <Paper
      withBorder
      p="md"
      mb="md"
      component="form"
      onSubmit={submit}
      noValidate
      aria-label={t('runs.planDay')}
    >
      <Title order={3} size="h4" mb="sm">
        {t('runs.planDay')}
      </Title>
      <Stack gap="sm">
        <ProblemAlert error={plan.error} />
        {plan.data && (
          <Alert color="teal" role="status" data-testid="plan-day-result">
            {t('runs.planned', {
              runs: format.number(plan.data.runs.length),
              planned: format.number(plan.data.planned),
              unplanned: format.number(plan.data.unplanned),
            })}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('runs.cycle')}
            required
            data={(cycles.data ?? []).map((item) => ({
              value: item.id,
              label: `${programmeName(item.programme_id)}${format.date(item.starts_on)} – ${format.date(item.ends_on)}`,
            }))}
            value={cycle}
            onChange={setCycle}
            error={errors.cycle_id}
            name="cycle_id"
          />
          <TextInput
            type="date"
            label={t('runs.date')}
            required
            value={date}
            onChange={(event) => setDate(event.currentTarget.value)}
            error={errors.date}
            name="date"
          />
          <ServicePointSelect
            label={t('runs.source')}
            required
            value={servicePoint}
            onChange={setServicePoint}
            error={errors.source_service_point_id}
            name="source_service_point_id"
          />
        </SimpleGrid>
        <MultiSelect
          label={t('runs.teams')}
          required
          searchable
          data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
          value={teamIds}
          onChange={setTeamIds}
          error={errors.team_ids}
          name="team_ids"
        />
        <AreaListInput
          label={t('runs.areasOptional')}
          value={areas}
          onChange={setAreas}
          error={errors.area_pcodes}
        />
        <Group>
          <Button type="submit" loading={plan.isPending} data-testid="plan-day-submit">
            {t('runs.planDaySubmit')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

export default function RunBoard() {
  const { t } = useTranslation();
  const format = useFormat();
  const length = useLength();
  const [status, setStatus] = useState<string | null>(null);
  const [planning, setPlanning] = useState(false);
  const runs = useRuns({ status });
  const mayPlan = useCan('runs.write');
  const mayReadTeams = useCan('volunteers.read');
  const teams = useTeams(mayReadTeams);
  const teamName = (run: RunListItem) =>
    teams.data?.find((team) => team.id === run.team_id)?.name ?? run.team_id.slice(0, 8);
  return (
    <>
      <PageHeader
        title={t('runs.title')}
        actions={
          mayPlan &&
          !planning && (
            <Button onClick={() => setPlanning(true)} data-testid="plan-day">
              {t('runs.planDay')}
            </Button>
          )
        }
      />
      {planning && mayPlan && <PlanDay onDone={() => setPlanning(false)} />}
      <Select
        label={t('common.status')}
        clearable
        value={status}
        onChange={setStatus}
        data={runStatuses.map((value) => ({ value, label: t(`runs.statuses.${value}`) }))}
        maw={260}
        mb="md"
      />
      <QueryState isPending={runs.isPending} error={runs.error}>
        {(runs.data ?? []).length === 0 ? (
          <Text c="dimmed">{t('common.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped highlightOnHover data-testid="runs-board">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('runs.team')}</Table.Th>
                  <Table.Th>{t('runs.date')}</Table.Th>
                  <Table.Th>{t('runs.stops')}</Table.Th>
                  <Table.Th>{t('runs.length')}</Table.Th>
                  <Table.Th>{t('runs.progressTitle')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(runs.data ?? []).map((run) => (
                  <Table.Tr key={run.id} data-testid="run-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/runs/${run.id}`}>
                        {teamName(run)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{format.date(run.date)}</Table.Td>
                    <Table.Td className="numeric">{format.number(run.progress.stops)}</Table.Td>
                    <Table.Td className="numeric">{length(run.length_metres)}</Table.Td>
                    <Table.Td>
                      <RunProgressBar progress={run.progress} />
                    </Table.Td>
                    <Table.Td>
                      <RunStatusBadge status={run.status} />
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
