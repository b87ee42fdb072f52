/** A cycle's progress per area and commodity: households served, quantities redeemed of entitled. */
import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { plainUnits, useCommodities } from '../api/commodities';
import { useCycleProgress } from '../api/redemptions';
import { useCount, useFormat } from '../lib/format';
import { useLocalName } from '../lib/names';
import { QueryState } from './Page';

/** Per area: households served of entitled, and per commodity redeemed of entitled. */
export function CycleProgressTable({
  cycleId,
  detailed = false,
}: {
  cycleId: string;
  /** Also what remains, and how many households are not served yet (the cycle's own page). */
  detailed?: boolean;
}) {
  const count = useCount();
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const progress = useCycleProgress(cycleId);
  const codes = progress.data?.commodities.map((item) => item.commodity) ?? [];
  const amount = (code: string, redeemed: number, entitled: number) => {
    const units = commodities.data?.get(code) ?? plainUnits;
    const served = t('home.ofTotal', {
      done: format.quantity(redeemed, units),
      total: format.quantity(entitled, units),
    });
    if (!detailed) return served;
    return (
      <>
        {served}
        <Text size="xs" c="dimmed">
          {t('cycles.remaining', { amount: format.quantity(entitled - redeemed, units) })}
        </Text>
      </>
    );
  };
  const households = (served: number, entitled: number) => (
    <>
      {t('home.ofTotal', { done: format.number(served), total: format.number(entitled) })}
      {detailed && (
        <Text size="xs" c="dimmed" data-testid="not-served">
          {t('cycles.notServed', { households: count('households', entitled - served) })}
        </Text>
      )}
    </>
  );
  return (
    <QueryState isPending={progress.isPending} error={progress.error}>
      {progress.data && progress.data.areas.length > 0 && (
        <Table.ScrollContainer minWidth={420}>
          <Table striped fz="sm" data-testid="cycle-progress">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('home.area')}</Table.Th>
                <Table.Th>{t('home.householdsServed')}</Table.Th>
                {codes.map((code) => {
                  const commodity = commodities.data?.get(code);
                  return <Table.Th key={code}>{commodity ? localName(commodity) : code}</Table.Th>;
                })}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {progress.data.areas.map((area) => (
                <Table.Tr key={area.area_pcode}>
                  <Table.Td>{localName(area)}</Table.Td>
                  <Table.Td className="numeric">
                    {households(area.households_served, area.households_entitled)}
                  </Table.Td>
                  {codes.map((code) => {
                    const item = area.commodities.find((entry) => entry.commodity === code);
                    return (
                      <Table.Td key={code} className="numeric">
                        {item ? amount(code, item.redeemed, item.entitled) : ''}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
            {(detailed || progress.data.areas.length > 1) && (
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th>{t('home.total')}</Table.Th>
                  <Table.Th className="numeric">
                    {households(progress.data.households_served, progress.data.households_entitled)}
                  </Table.Th>
                  {progress.data.commodities.map((item) => (
                    <Table.Th key={item.commodity} className="numeric">
                      {amount(item.commodity, item.redeemed, item.entitled)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Tfoot>
            )}
          </Table>
        </Table.ScrollContainer>
      )}
    </QueryState>
  );
}
