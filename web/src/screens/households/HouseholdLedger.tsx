/** A household's entitlements in the open cycles: credited, received and what remains. */
import { Anchor, Progress, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { plainUnits, useCommodities } from '../../api/commodities';
import type { CounterEntitlement } from '../../api/counter';
import { useMe } from '../../api/session';
import { QueryState } from '../../components/Page';
import { mayOpen } from '../../lib/access';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';

export function HouseholdEntitlements({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const me = useMe();
  const mayOpenCycles = me.data ? mayOpen(me.data.role, 'cycles') : false;
  const entitlements = useQuery({
    queryKey: ['households', householdId, 'entitlements'],
    queryFn: ({ signal }) =>
      api.get<{ items: CounterEntitlement[] }>(
        `/households/${encodeURIComponent(householdId)}/entitlements`,
        undefined,
        signal,
      ),
  });
  const items = entitlements.data?.items ?? [];
  return (
    <QueryState isPending={entitlements.isPending} error={entitlements.error}>
      {items.length === 0 ? (
        <Text c="dimmed">{t('entitlements.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped data-testid="entitlements-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('entitlements.cycle')}</Table.Th>
                <Table.Th>{t('entitlements.commodity')}</Table.Th>
                <Table.Th>{t('entitlements.entitled')}</Table.Th>
                <Table.Th>{t('entitlements.received')}</Table.Th>
                <Table.Th>{t('entitlements.remaining')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => {
                const commodity = commodities.data?.get(item.commodity);
                const units = commodity ?? plainUnits;
                const received = Math.max(0, item.entitled - item.remaining);
                const cycleLabel = t('entitlements.until', { date: format.date(item.ends_on) });
                return (
                  <Table.Tr key={`${item.cycle_id}-${item.commodity}`}>
                    <Table.Td>
                      {mayOpenCycles ? (
                        <Anchor component={Link} to={`/cycles/${item.cycle_id}`}>
                          {cycleLabel}
                        </Anchor>
                      ) : (
                        cycleLabel
                      )}
                    </Table.Td>
                    <Table.Td>{commodity ? localName(commodity) : item.commodity}</Table.Td>
                    <Table.Td className="numeric">{format.quantity(item.entitled, units)}</Table.Td>
                    <Table.Td miw={120}>
                      <Text size="sm" className="numeric">
                        {format.quantity(received, units)}
                      </Text>
                      <Progress
                        value={item.entitled > 0 ? (received / item.entitled) * 100 : 0}
                        aria-label={format.percent(
                          item.entitled > 0 ? received / item.entitled : 0,
                        )}
                        size="sm"
                      />
                    </Table.Td>
                    <Table.Td className="numeric">
                      {format.quantity(item.remaining, units)}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </QueryState>
  );
}
