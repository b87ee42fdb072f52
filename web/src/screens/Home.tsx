/**
 * Home: open cycles and their progress by area, today's hand-overs, stock at the service points,
 * and duplicates waiting for review — what the role may see.
 */
import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useServicePoints } from '../api/admin';
import { api } from '../api/client';
import { plainUnits, useCommodities } from '../api/commodities';
import { useDuplicateCount } from '../api/households';
import { startOfToday, useRedemptions } from '../api/redemptions';
import { useCycles, useProgrammes } from '../api/planning';
import { useMe } from '../api/session';
import { CycleProgressTable } from '../components/CycleProgressTable';
import { QueryState } from '../components/Page';
import { mayOpen, screenPermissions, type ScreenKey } from '../lib/access';
import { can } from '../../../src/shared/permissions.js';
import { useCount, useFormat } from '../lib/format';
import { useLocalName } from '../lib/names';

function Panel({
  title,
  link,
  children,
}: {
  title: string;
  link?: { to: string; label: string };
  children: ReactNode;
}) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {link && (
          <Anchor component={Link} to={link.to} size="sm">
            {link.label}
          </Anchor>
        )}
      </Group>
      {children}
    </Card>
  );
}

function OpenCycles() {
  const { t } = useTranslation();
  const format = useFormat();
  const count = useCount();
  const localName = useLocalName();
  const cycles = useCycles({ status: 'open' });
  const programmes = useProgrammes();
  const items = cycles.data ?? [];
  return (
    <Panel title={t('home.openCycles')} link={{ to: '/cycles', label: t('home.all') }}>
      <QueryState isPending={cycles.isPending} error={cycles.error}>
        {items.length === 0 ? (
          <Text c="dimmed">{t('home.noOpenCycles')}</Text>
        ) : (
          <Stack gap="md">
            {items.map((cycle) => {
              const programme = programmes.data?.find((item) => item.id === cycle.programme_id);
              return (
                <Stack key={cycle.id} gap={4}>
                  <Group justify="space-between" wrap="nowrap">
                    <Anchor component={Link} to={`/cycles/${cycle.id}`}>
                      {programme ? localName(programme) : cycle.id.slice(0, 8)}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {t('home.cycleLine', {
                        households: count('households', cycle.households_credited),
                        date: format.date(cycle.ends_on),
                      })}
                    </Text>
                  </Group>
                  <CycleProgressTable cycleId={cycle.id} />
                </Stack>
              );
            })}
          </Stack>
        )}
      </QueryState>
    </Panel>
  );
}

/** Hand-overs since midnight: how many, and the last ten. */
function TodayRedemptions() {
  const { t } = useTranslation();
  const format = useFormat();
  const count = useCount();
  const localName = useLocalName();
  const commodities = useCommodities();
  const [since] = useState(startOfToday);
  const today = useRedemptions({ since }, 200);
  const pages = today.data?.pages ?? [];
  const items = pages.flatMap((page) => page.items);
  const more = today.hasNextPage;
  return (
    <Panel title={t('home.today')}>
      <QueryState isPending={today.isPending} error={today.error}>
        <Text mb="xs" data-testid="today-count">
          {t('home.redemptionsToday', { n: count('handovers', items.length, more ? '+' : '') })}
        </Text>
        {items.length > 0 && (
          <Table fz="sm">
            <Table.Tbody>
              {items.slice(0, 10).map((redemption) => (
                <Table.Tr key={redemption.id}>
                  <Table.Td className="numeric">{format.dateTime(redemption.created_at)}</Table.Td>
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/households/${redemption.household_id}`}
                      size="sm"
                    >
                      {t('home.household')}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {redemption.items
                      .map((item) => {
                        const commodity = commodities.data?.get(item.commodity);
                        return `${commodity ? localName(commodity) : item.commodity}: ${format.quantity(item.quantity, commodity ?? plainUnits)}`;
                      })
                      .join('، ')}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </Panel>
  );
}

interface Balance {
  commodity: string;
  available: number;
}

function StockAtServicePoints() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const points = useServicePoints();
  const shown = (points.data ?? []).slice(0, 12);
  const stocks = useQueries({
    queries: shown.map((point) => ({
      queryKey: ['stock', point.id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<{ items: Balance[] }>(
          `/service-points/${encodeURIComponent(point.id)}/stock`,
          undefined,
          signal,
        ),
    })),
  });
  return (
    <Panel title={t('home.stock')} link={{ to: '/stock', label: t('home.all') }}>
      <QueryState isPending={points.isPending} error={points.error}>
        {shown.length === 0 ? (
          <Text c="dimmed">{t('common.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={300}>
            <Table>
              <Table.Tbody>
                {shown.map((point, index) => (
                  <Table.Tr key={point.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/stock?service_point=${point.id}`} size="sm">
                        {localName(point)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {(stocks[index]?.data?.items ?? []).map((balance) => {
                          const commodity = commodities.data?.get(balance.commodity);
                          return (
                            <Badge
                              key={balance.commodity}
                              variant="light"
                              color={balance.available > 0 ? 'teal' : 'red'}
                            >
                              {commodity ? localName(commodity) : balance.commodity}:{' '}
                              {format.quantity(balance.available, commodity ?? plainUnits)}
                            </Badge>
                          );
                        })}
                        {stocks[index]?.data?.items.length === 0 && (
                          <Text size="sm" c="dimmed">
                            {t('stock.empty')}
                          </Text>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Panel>
  );
}

function DuplicatesWaiting() {
  const { t } = useTranslation();
  const counted = useCount();
  const duplicates = useDuplicateCount('open');
  const count = duplicates.data ?? 0;
  return (
    <Panel
      title={t('home.exceptions')}
      link={{ to: '/households/duplicates', label: t('home.review') }}
    >
      <QueryState isPending={duplicates.isPending} error={duplicates.error}>
        <Text data-testid="duplicates-waiting">
          {count === 0
            ? t('households.duplicates.none')
            : t('home.duplicatesWaiting', { n: counted('duplicates', count) })}
        </Text>
      </QueryState>
    </Panel>
  );
}

export default function Home() {
  const { t } = useTranslation();
  const me = useMe();
  const role = me.data?.role;
  if (!role) return null;
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('home.welcome', { name: me.data?.display_name ?? '' })}
      </Title>
      {mayOpen(role, 'cycles') && <OpenCycles />}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {can(role, 'redemptions.read') && <TodayRedemptions />}
        {can(role, 'duplicates.read') && <DuplicatesWaiting />}
        {can(role, 'stock.read') && <StockAtServicePoints />}
      </SimpleGrid>
      {(Object.keys(screenPermissions) as ScreenKey[]).every(
        (screen) => screen === 'home' || !mayOpen(role, screen),
      ) && (
        <Alert color="blue" title={t('home.roleWaiting.title')} data-testid="role-waiting">
          <Text>
            {t(`home.roleWaiting.${role}`, { defaultValue: t('home.roleWaiting.other') })}
          </Text>
          <Text mt="xs">
            <Anchor component={Link} to="/settings">
              {t('home.roleWaiting.settings')}
            </Anchor>
          </Text>
        </Alert>
      )}
    </Stack>
  );
}
