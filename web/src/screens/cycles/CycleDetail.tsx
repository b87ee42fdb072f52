/** One cycle: open it (credit every eligible household), add late households, close it. */
import { Alert, Button, Card, Group, Modal, SimpleGrid, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useCycle, useCycleAction, useProgramme, type CycleAction } from '../../api/planning';
import { AreaName } from '../../components/AreaName';
import { CycleProgressTable } from '../../components/CycleProgressTable';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { RulesSummary } from '../programmes/RulesSummary';
import { CycleStatusBadge } from './CycleList';
import { UnservedHouseholds } from './UnservedHouseholds';
import { useCan } from '../../lib/use-can';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{children}</Text>
    </div>
  );
}

export default function CycleDetail() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const cycle = useCycle(id);
  const programme = useProgramme(cycle.data?.programme_id);
  const action = useCycleAction(id);
  const mayPlan = useCan('cycles.write');
  const mayReadHouseholds = useCan('households.readDetails');
  const [confirming, setConfirming] = useState<CycleAction | null>(null);
  const run = (which: CycleAction) => {
    setConfirming(null);
    action.mutate(which);
  };

  return (
    <QueryState isPending={cycle.isPending} error={cycle.error}>
      {cycle.data && (
        <>
          <PageHeader
            title={programme.data ? localName(programme.data) : t('cycles.cycle')}
            actions={<CycleStatusBadge status={cycle.data.status} />}
          />
          <Card withBorder>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
              <Fact label={t('cycles.startsOn')}>{format.date(cycle.data.starts_on)}</Fact>
              <Fact label={t('cycles.endsOn')}>{format.date(cycle.data.ends_on)}</Fact>
              <Fact label={t('cycles.areas')}>
                {cycle.data.area_pcodes.map((pcode, index) => (
                  <span key={pcode}>
                    {index > 0 && '، '}
                    <AreaName pcode={pcode} />
                  </span>
                ))}
              </Fact>
              <Fact label={t('cycles.credited')}>
                <span className="numeric" data-testid="households-credited">
                  {format.number(cycle.data.households_credited)}
                </span>
              </Fact>
              {cycle.data.opened_at && (
                <Fact label={t('cycles.openedAt')}>{format.dateTime(cycle.data.opened_at)}</Fact>
              )}
              {cycle.data.closed_at && (
                <Fact label={t('cycles.closedAt')}>{format.dateTime(cycle.data.closed_at)}</Fact>
              )}
            </SimpleGrid>
          </Card>
          {cycle.data.status !== 'draft' && (
            <Card withBorder>
              <Text fw={500} mb="xs">
                {t('cycles.progress')}
              </Text>
              <CycleProgressTable cycleId={cycle.data.id} detailed />
            </Card>
          )}
          {cycle.data.status !== 'draft' && mayReadHouseholds && (
            <Card withBorder>
              <Text fw={500} mb="xs">
                {t('cycles.unserved')}
              </Text>
              <UnservedHouseholds cycleId={cycle.data.id} />
            </Card>
          )}
          {programme.data && (
            <Card withBorder>
              <Text fw={500} mb="xs">
                {t('programmes.rules')}
              </Text>
              <RulesSummary rules={programme.data.rules} />
              <Button
                variant="subtle"
                size="xs"
                mt="xs"
                component={Link}
                to={`/programmes/${programme.data.id}`}
              >
                {t('cycles.openProgramme')}
              </Button>
            </Card>
          )}
          <ProblemAlert error={action.error} />
          {action.data?.households_processed !== undefined && (
            <Alert color="teal" role="status" data-testid="cycle-run-result">
              {t('cycles.processed', {
                count: action.data.households_processed,
                shown: format.number(action.data.households_processed),
              })}
            </Alert>
          )}
          {mayPlan && (
            <Group>
              {(cycle.data.status === 'draft' || cycle.data.status === 'opening') && (
                <Button onClick={() => setConfirming('open')} loading={action.isPending}>
                  {t('cycles.actions.open')}
                </Button>
              )}
              {cycle.data.status === 'open' && (
                <>
                  <Button
                    variant="light"
                    onClick={() => run('households')}
                    loading={action.isPending}
                  >
                    {t('cycles.actions.households')}
                  </Button>
                  <Button
                    color="red"
                    variant="light"
                    onClick={() => setConfirming('close')}
                    loading={action.isPending}
                  >
                    {t('cycles.actions.close')}
                  </Button>
                </>
              )}
              {cycle.data.status === 'closing' && (
                <Button color="red" onClick={() => run('close')} loading={action.isPending}>
                  {t('cycles.actions.close')}
                </Button>
              )}
            </Group>
          )}
          <Modal
            opened={confirming !== null}
            onClose={() => setConfirming(null)}
            title={confirming ? t(`cycles.actions.${confirming}`) : ''}
            centered
          >
            <Text mb="md">{confirming ? t(`cycles.confirm.${confirming}`) : ''}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)}>
                {t('common.cancel')}
              </Button>
              <Button
                color={confirming === 'close' ? 'red' : undefined}
                onClick={() => confirming && run(confirming)}
                data-testid="confirm-action"
              >
                {t('common.confirm')}
              </Button>
            </Group>
          </Modal>
        </>
      )}
    </QueryState>
  );
}
