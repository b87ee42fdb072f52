/** Stock at a service point, and goods received into it. */
import {
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, newId } from '../api/client';
import { plainUnits, useCommodities } from '../api/commodities';
import { useCan } from '../lib/use-can';
import { PageHeader, ProblemAlert, QueryState } from '../components/Page';
import { rememberedServicePoint, ServicePointSelect } from '../components/ServicePointSelect';
import { parseDecimal } from '../lib/digits';
import { toBaseAmount, useFormat } from '../lib/format';
import { useLocalName } from '../lib/names';
import { fieldErrors } from '../lib/problems';

interface Balance {
  commodity: string;
  on_hand: number;
  reserved: number;
  available: number;
}

function Receive({ servicePointId }: { servicePointId: string }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const commodities = useCommodities();
  const client = useQueryClient();
  const [commodity, setCommodity] = useState<string | null>(null);
  const [quantity, setQuantity] = useState('');
  // One id per intended receipt: a retry after a lost answer is not counted twice.
  const [receiptId, setReceiptId] = useState(newId);
  const receive = useMutation({
    mutationFn: (body: { id: string; commodity: string; quantity: number }) =>
      api.post(`/service-points/${encodeURIComponent(servicePointId)}/stock`, body),
    onSuccess: () => {
      setQuantity('');
      setReceiptId(newId());
      void client.invalidateQueries({ queryKey: ['stock', servicePointId] });
    },
  });
  const errors = fieldErrors(t, receive.error);
  const units = (commodity && commodities.data?.get(commodity)) || plainUnits;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const amount = parseDecimal(quantity);
    if (!commodity || amount === null) return;
    receive.mutate({ id: receiptId, commodity, quantity: toBaseAmount(amount, units) });
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={t('stock.receive')}>
      <Title order={3} size="h4" mb="sm">
        {t('stock.receive')}
      </Title>
      <ProblemAlert error={receive.error} />
      <SimpleGrid cols={{ base: 1, sm: 3 }} mt="xs">
        <Select
          label={t('entitlements.commodity')}
          required
          value={commodity}
          onChange={setCommodity}
          error={errors.commodity}
          data={[...(commodities.data?.values() ?? [])].map((item) => ({
            value: item.code,
            label: localName(item),
          }))}
        />
        <TextInput
          label={t('stock.quantityIn', {
            unit: t(`units.${units.display_unit}`, { defaultValue: units.display_unit }),
          })}
          inputMode="decimal"
          required
          value={quantity}
          error={errors.quantity}
          onChange={(event) => setQuantity(event.currentTarget.value)}
        />
        <Group align="flex-end">
          <Button
            type="submit"
            loading={receive.isPending}
            disabled={!commodity || parseDecimal(quantity) === null}
          >
            {t('stock.receiveSubmit')}
          </Button>
        </Group>
      </SimpleGrid>
    </Paper>
  );
}

export default function Stock() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const mayReceive = useCan('stock.receive');
  const [params] = useSearchParams();
  const [servicePoint, setServicePoint] = useState<string | null>(
    params.get('service_point') ?? rememberedServicePoint(),
  );
  const commodities = useCommodities();
  const stock = useQuery({
    queryKey: ['stock', servicePoint],
    queryFn: ({ signal }) =>
      api.get<{ items: Balance[] }>(
        `/service-points/${encodeURIComponent(servicePoint ?? '')}/stock`,
        undefined,
        signal,
      ),
    enabled: Boolean(servicePoint),
  });
  return (
    <>
      <PageHeader title={t('menu.stock')} />
      <ServicePointSelect
        label={t('stock.servicePoint')}
        value={servicePoint}
        onChange={setServicePoint}
        maw={420}
        mb="md"
      />
      {servicePoint && (
        <>
          <QueryState isPending={stock.isPending} error={stock.error}>
            {(stock.data?.items ?? []).length === 0 ? (
              <Text c="dimmed">{t('stock.empty')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={480}>
                <Table striped data-testid="stock-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('entitlements.commodity')}</Table.Th>
                      <Table.Th>{t('stock.onHand')}</Table.Th>
                      <Table.Th>{t('stock.reserved')}</Table.Th>
                      <Table.Th>{t('stock.available')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {(stock.data?.items ?? []).map((balance) => {
                      const commodity = commodities.data?.get(balance.commodity);
                      const units = commodity ?? plainUnits;
                      return (
                        <Table.Tr key={balance.commodity}>
                          <Table.Td>
                            {commodity ? localName(commodity) : balance.commodity}
                          </Table.Td>
                          <Table.Td className="numeric">
                            {format.quantity(balance.on_hand, units)}
                          </Table.Td>
                          <Table.Td className="numeric">
                            {format.quantity(balance.reserved, units)}
                          </Table.Td>
                          <Table.Td className="numeric">
                            {format.quantity(balance.available, units)}
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </QueryState>
          {mayReceive && <Receive servicePointId={servicePoint} />}
        </>
      )}
    </>
  );
}
