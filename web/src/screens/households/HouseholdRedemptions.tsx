/** A household's redemption history: every hand-over, newest first, a page at a time. */
import { Button, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useServicePoints } from '../../api/admin';
import { plainUnits, useCommodities } from '../../api/commodities';
import { useRedemptions } from '../../api/redemptions';
import { QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { useCan } from '../../lib/use-can';
import type { Household } from '../../api/types';
import { useProxies } from './HouseholdDesk';

export function HouseholdRedemptions({ household }: { household: Household }) {
  const householdId = household.id;
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const points = useServicePoints();
  const redemptions = useRedemptions({ household_id: householdId });
  const proxies = useProxies(householdId, useCan('households.readDetails'));
  // Who collected, by name where the record shows it.
  const collector = (key: string | null) => {
    if (key === null) return '—';
    if (key === 'head') return t('desk.head', { name: household.head_full_name });
    if (key.startsWith('member:')) {
      const member = household.members?.[Number(key.slice('member:'.length))];
      return t('desk.member', { name: member?.name ?? key.slice('member:'.length) });
    }
    const proxy = proxies.data?.find((item) => `proxy:${item.id}` === key);
    return t('desk.proxy', { name: proxy?.name ?? '…' });
  };
  const items = (redemptions.data?.pages ?? []).flatMap((page) => page.items);
  return (
    <QueryState isPending={redemptions.isPending} error={redemptions.error}>
      {items.length === 0 ? (
        <Text c="dimmed">{t('redemptions.none')}</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={480}>
            <Table striped data-testid="redemptions-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('redemptions.when')}</Table.Th>
                  <Table.Th>{t('redemptions.servicePoint')}</Table.Th>
                  <Table.Th>{t('redemptions.items')}</Table.Th>
                  <Table.Th>{t('desk.collected')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((redemption) => {
                  const point = points.data?.find(
                    (item) => item.id === redemption.service_point_id,
                  );
                  return (
                    <Table.Tr key={redemption.id}>
                      <Table.Td className="numeric">
                        {format.dateTime(redemption.created_at)}
                      </Table.Td>
                      <Table.Td>
                        {point ? localName(point) : redemption.service_point_id.slice(0, 8)}
                      </Table.Td>
                      <Table.Td>
                        {redemption.items
                          .map((item) => {
                            const commodity = commodities.data?.get(item.commodity);
                            return `${commodity ? localName(commodity) : item.commodity}: ${format.quantity(item.quantity, commodity ?? plainUnits)}`;
                          })
                          .join('، ')}
                      </Table.Td>
                      <Table.Td data-testid={`collected-${redemption.id}`}>
                        {collector(redemption.collected_by)}
                        {redemption.home_override && (
                          <Text size="xs" c="orange">
                            {t('desk.overridden')}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {redemptions.hasNextPage && (
            <Button
              variant="subtle"
              mt="sm"
              loading={redemptions.isFetchingNextPage}
              onClick={() => void redemptions.fetchNextPage()}
            >
              {t('redemptions.more')}
            </Button>
          )}
        </>
      )}
    </QueryState>
  );
}
