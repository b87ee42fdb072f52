/**
 * One run: its facts, a plain map of its stops in order, each stop's state; before dispatch a
 * stop may move to another planned run of the same day, and the order may be previewed again
 * by the solver in a Web Worker. Dispatch shows the gate's refusal per volunteer; close; the
 * printable manifest.
 */
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  List,
  Select,
  SimpleGrid,
  Table,
  Text,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { plainUnits, useCommodities } from '../../api/commodities';
import { useTrainings } from '../../api/crew';
import {
  useMoveStop,
  useRun,
  useRunAction,
  useRuns,
  useSetRunOrder,
  useTeams,
  useVolunteers,
  type Run,
  type RunStop,
} from '../../api/runs';
import { AreaName } from '../../components/AreaName';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { orderInWorker } from '../../lib/routing-worker';
import { useCan } from '../../lib/use-can';
import { RunMap } from './RunMap';
import { RunProgressBar, RunStatusBadge, useLength } from './RunBoard';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="div">{children}</Text>
    </div>
  );
}

interface Missing {
  volunteer_id: string;
  kind: 'status' | 'training' | 'permit';
  status?: 'paused' | 'left';
  training_code?: string;
  area_pcode?: string;
}

/** The dispatch gate's refusal: what each volunteer misses. */
function DispatchBlocked({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const mayReadVolunteers = useCan('volunteers.read');
  const volunteers = useVolunteers(mayReadVolunteers);
  const trainings = useTrainings();
  const localName = useLocalName();
  const trainingName = (code: string) => {
    const training = trainings.data?.find((item) => item.code === code);
    return training ? localName(training) : code;
  };
  if (!(error instanceof ApiError) || error.code !== 'dispatch-blocked') return null;
  const missing = (error.body.missing ?? []) as Missing[];
  const name = (id: string) => {
    const volunteer = volunteers.data?.find((item) => item.id === id);
    return volunteer ? `${volunteer.given_name} ${volunteer.family_name}` : id.slice(0, 8);
  };
  return (
    <Alert color="red" title={t('runs.dispatchBlocked')} data-testid="dispatch-blocked">
      <List size="sm">
        {missing.map((entry, index) => (
          <List.Item key={index}>
            {name(entry.volunteer_id)}:{' '}
            {entry.kind === 'status' ? (
              t('runs.missingStatus', { status: t(`crew.statuses.${entry.status ?? 'left'}`) })
            ) : entry.kind === 'training' ? (
              t('runs.missingTraining', { code: trainingName(entry.training_code ?? '') })
            ) : (
              <>
                {t('runs.missingPermit')} <AreaName pcode={entry.area_pcode ?? ''} />
              </>
            )}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

function MoveStop({ run, stop }: { run: Run; stop: RunStop }) {
  const { t } = useTranslation();
  const format = useFormat();
  const others = useRuns({ status: 'planned', date: run.date });
  const teams = useTeams(useCan('volunteers.read'));
  const move = useMoveStop(run.id);
  const [target, setTarget] = useState<string | null>(null);
  const choices = (others.data ?? []).filter(
    (other) => other.id !== run.id && other.cycle_id === run.cycle_id,
  );
  const label = (id: string, teamId: string, stops: number) =>
    `${teams.data?.find((team) => team.id === teamId)?.name ?? id.slice(0, 8)} (${format.number(stops)})`;
  return (
    <Group gap="xs" wrap="nowrap">
      <Select
        size="xs"
        aria-label={t('runs.moveTo')}
        placeholder={t('runs.moveTo')}
        data={choices.map((other) => ({
          value: other.id,
          label: label(other.id, other.team_id, other.progress.stops),
        }))}
        value={target}
        onChange={setTarget}
        data-testid="move-target"
      />
      <Button
        size="xs"
        variant="light"
        disabled={!target}
        loading={move.isPending}
        onClick={() => target && move.mutate({ stop_id: stop.id, to_run_id: target })}
        data-testid="move-stop"
      >
        {t('runs.move')}
      </Button>
      {move.error !== null && <ProblemAlert error={move.error} />}
    </Group>
  );
}

export default function RunDetail() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const length = useLength();
  const run = useRun(id);
  const action = useRunAction(id);
  const keepOrder = useSetRunOrder(id);
  const mayWrite = useCan('runs.write');
  const mayPrint = useCan('runs.manifest');
  const teams = useTeams(useCan('volunteers.read'));
  const commodities = useCommodities();
  const localName = useLocalName();
  const itemText = (item: { commodity: string; quantity: number }) => {
    const commodity = commodities.data?.get(item.commodity);
    return `${commodity ? localName(commodity) : item.commodity} ${format.quantity(item.quantity, commodity ?? plainUnits)}`;
  };
  const [preview, setPreview] = useState<{ order: number[]; length_metres: number } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const data = run.data;
  const previewOrder = async () => {
    if (!data?.depot) return;
    setPreviewing(true);
    setPreviewError(null);
    try {
      // A stop without a place is where the server measures it: at the depot.
      const depot = data.depot;
      const answer = await orderInWorker(
        depot,
        data.stops.map((stop) =>
          stop.latitude !== null && stop.longitude !== null
            ? { latitude: stop.latitude, longitude: stop.longitude }
            : depot,
        ),
        data.detour_factor === undefined ? {} : { detourFactor: data.detour_factor },
      );
      // Indexes into data.stops.
      setPreview(answer);
    } catch (error) {
      setPreviewError(error);
    } finally {
      setPreviewing(false);
    }
  };
  return (
    <QueryState isPending={run.isPending} error={run.error}>
      {data && (
        <>
          <PageHeader
            title={teams.data?.find((team) => team.id === data.team_id)?.name ?? t('runs.run')}
            actions={<RunStatusBadge status={data.status} />}
          />
          <Card withBorder>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
              <Fact label={t('runs.date')}>{format.date(data.date)}</Fact>
              <Fact label={t('runs.stops')}>
                <span className="numeric">{format.number(data.stops.length)}</span>
              </Fact>
              <Fact label={t('runs.length')}>
                <span className="numeric" data-testid="run-length">
                  {length(data.length_metres)}
                </span>
              </Fact>
              <Fact label={t('runs.progressTitle')}>
                <RunProgressBar progress={data.progress} />
              </Fact>
            </SimpleGrid>
          </Card>
          <ProblemAlert
            error={
              action.error instanceof ApiError && action.error.code === 'dispatch-blocked'
                ? null
                : action.error
            }
          />
          <DispatchBlocked error={action.error} />
          <Group>
            {mayWrite && data.status === 'planned' && (
              <Button
                onClick={() => action.mutate('dispatch')}
                loading={action.isPending}
                data-testid="dispatch-run"
              >
                {t('runs.dispatch')}
              </Button>
            )}
            {mayWrite && data.status !== 'closed' && (
              <Button
                color="red"
                variant="light"
                onClick={() => action.mutate('close')}
                loading={action.isPending}
              >
                {t('runs.close')}
              </Button>
            )}
            {mayPrint && (
              <Anchor
                href={`/api/v1/runs/${encodeURIComponent(data.id)}/manifest`}
                target="_blank"
                data-testid="run-manifest"
              >
                {t('runs.manifest')}
              </Anchor>
            )}
            {data.status === 'planned' && data.depot && (
              <Button
                variant="subtle"
                onClick={() => void previewOrder()}
                loading={previewing}
                data-testid="preview-order"
              >
                {t('runs.previewOrder')}
              </Button>
            )}
          </Group>
          <ProblemAlert error={previewError} />
          {preview && (
            <Group>
              <Text size="sm" data-testid="preview-length">
                {t('runs.previewLength', { length: length(preview.length_metres) })}
              </Text>
              {mayWrite &&
                data.status === 'planned' &&
                preview.order.length === data.stops.length && (
                  <Button
                    size="xs"
                    variant="light"
                    loading={keepOrder.isPending}
                    onClick={() =>
                      keepOrder.mutate(
                        preview.order.map((index) => data.stops[index]!.id),
                        { onSuccess: () => setPreview(null) },
                      )
                    }
                    data-testid="keep-order"
                  >
                    {t('runs.keepOrder')}
                  </Button>
                )}
            </Group>
          )}
          <ProblemAlert error={keepOrder.error} />
          <Card withBorder>
            <RunMap depot={data.depot} stops={data.stops} preview={preview?.order ?? null} />
          </Card>
          <Table.ScrollContainer minWidth={620}>
            <Table striped data-testid="run-stops">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('runs.sequence')}</Table.Th>
                  <Table.Th>{t('runs.items')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  {mayWrite && data.status === 'planned' && <Table.Th>{t('runs.move')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.stops.map((stop) => (
                  <Table.Tr key={stop.id}>
                    <Table.Td className="numeric">{format.number(stop.sequence)}</Table.Td>
                    <Table.Td>{stop.items.map(itemText).join('، ')}</Table.Td>
                    <Table.Td>
                      {t(`runs.stopStates.${stop.state}`)}
                      {stop.failed_reason && ` (${t(`runs.failedReasons.${stop.failed_reason}`)})`}
                    </Table.Td>
                    {mayWrite && data.status === 'planned' && (
                      <Table.Td>
                        <MoveStop run={data} stop={stop} />
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </QueryState>
  );
}
