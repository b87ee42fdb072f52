/** Home: open cycles, stock at the service points, and duplicates waiting for review — what the role may see. */
import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Role } from '../../../src/shared/roles.js';
import { useServicePoints } from '../api/admin';
import { api } from '../api/client';
import { plainUnits, useCommodities } from '../api/commodities';
import { useDuplicates } from '../api/households';
import { useCycles, useProgrammes } from '../api/planning';
import { useMe } from '../api/session';
import { QueryState } from '../components/Page';
import { mayOpen } from '../lib/access';
import { useFormat } from '../lib/format';
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
          <Stack gap="xs">
            {items.map((cycle) => {
              const programme = programmes.data?.find((item) => item.id === cycle.programme_id);
              return (
                <Group key={cycle.id} justify="space-between" wrap="nowrap">
                  <Anchor component={Link} to={`/cycles/${cycle.id}`}>
                    {programme ? localName(programme) : cycle.id.slice(0, 8)}
                  </Anchor>
                  <Text size="sm" c="dimmed">
                    {t('home.cycleLine', {
                      households: format.number(cycle.households_credited),
                      date: format.date(cycle.ends_on),
                    })}
                  </Text>
                </Group>
              );
            })}
          </Stack>
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
  const format = useFormat();
  const duplicates = useDuplicates('open');
  const pages = duplicates.data?.pages ?? [];
  const count = pages.reduce((total, page) => total + page.items.length, 0);
  const more = duplicates.hasNextPage;
  return (
    <Panel
      title={t('home.exceptions')}
      link={{ to: '/households/duplicates', label: t('home.review') }}
    >
      <QueryState isPending={duplicates.isPending} error={duplicates.error}>
        <Text>
          {count === 0
            ? t('households.duplicates.none')
            : t('home.duplicatesWaiting', { n: `${format.number(count)}${more ? '+' : ''}` })}
        </Text>
      </QueryState>
    </Panel>
  );
}

const duplicateReaders: readonly Role[] = ['admin', 'coordinator', 'registrar', 'auditor'];
const stockReaders: readonly Role[] = [
  'admin',
  'coordinator',
  'storekeeper',
  'outlet_clerk',
  'auditor',
];

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
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {mayOpen(role, 'cycles') && <OpenCycles />}
        {duplicateReaders.includes(role) && <DuplicatesWaiting />}
        {stockReaders.includes(role) && <StockAtServicePoints />}
      </SimpleGrid>
      {!mayOpen(role, 'cycles') &&
        !duplicateReaders.includes(role) &&
        !stockReaders.includes(role) && <Text c="dimmed">{t('home.nothingHere')}</Text>}
    </Stack>
  );
}
