/** The cycle's households not served yet, by area, with what is left and a printable signature sheet. */
import { Button, Group, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { plainUnits, useCommodities } from '../../api/commodities';
import { useUnservedHouseholds } from '../../api/redemptions';
import { AreaSelect } from '../../components/AreaSelect';
import { QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';

export function UnservedHouseholds({ cycleId }: { cycleId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const [areaPcode, setAreaPcode] = useState<string | undefined>();
  const unserved = useUnservedHouseholds(cycleId, areaPcode);
  const items = unserved.data?.pages.flatMap((page) => page.items) ?? [];
  const sheetUrl = `/api/v1/cycles/${encodeURIComponent(cycleId)}/signature-sheet?limit=500${
    areaPcode ? `&area_pcode=${encodeURIComponent(areaPcode)}` : ''
  }`;
  return (
    <>
      <Group align="end" mb="xs">
        <AreaSelect
          label={t('cycles.unservedArea')}
          value={areaPcode ?? null}
          onChange={(pcode) => setAreaPcode(pcode ?? undefined)}
          clearable
        />
        <Button
          component="a"
          href={sheetUrl}
          target="_blank"
          rel="noopener"
          variant="light"
          data-testid="signature-sheet"
        >
          {t('cycles.signatureSheet')}
        </Button>
      </Group>
      <QueryState isPending={unserved.isPending} error={unserved.error}>
        {items.length === 0 ? (
          <Text c="dimmed">{t('cycles.allServed')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table striped data-testid="unserved-households">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('households.head')}</Table.Th>
                  <Table.Th>{t('households.cardNumber')}</Table.Th>
                  <Table.Th>{t('common.area')}</Table.Th>
                  <Table.Th>{t('cycles.due')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      <Link to={`/households/${item.id}`}>{item.head_name}</Link>
                    </Table.Td>
                    <Table.Td dir="ltr" className="numeric">
                      {item.card_number}
                    </Table.Td>
                    <Table.Td>
                      {localName({ name_ar: item.area_name_ar, name_en: item.area_name_en })}
                    </Table.Td>
                    <Table.Td>
                      {item.remaining
                        .map(
                          (entry) =>
                            `${localName(commodities.data?.get(entry.commodity) ?? { name_ar: entry.commodity, name_en: entry.commodity })} ${format.quantity(entry.quantity, commodities.data?.get(entry.commodity) ?? plainUnits)}`,
                        )
                        .join('، ')}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {unserved.hasNextPage && (
          <Button
            variant="subtle"
            mt="xs"
            onClick={() => void unserved.fetchNextPage()}
            loading={unserved.isFetchingNextPage}
          >
            {t('common.more')}
          </Button>
        )}
      </QueryState>
    </>
  );
}
