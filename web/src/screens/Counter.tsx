/**
 * The counter (outlet clerks): scan the card or type its number, see the household and what
 * remains, hand over (quantities prefilled with all that remains), print a receipt. Every
 * refusal is said in plain words.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, newId } from '../api/client';
import { plainUnits, useCommodities } from '../api/commodities';
import {
  findCardHolder,
  redeem,
  remainingByCommodity,
  type CardHolder,
  type CounterRedemption,
} from '../api/counter';
import { Loading, PageHeader } from '../components/Page';
import { QrScanner } from '../components/QrScanner';
import { rememberedServicePoint, ServicePointSelect } from '../components/ServicePointSelect';
import { parseDecimal } from '../lib/digits';
import { toBaseAmount, toDisplayAmount, useFormat, type CommodityUnits } from '../lib/format';
import { useLocalName } from '../lib/names';
import { problemMessage } from '../lib/problems';
import { useServicePoints } from '../api/admin';

/** A scanned card whose signature fails is likely forged: say so, not "wrong number". */
function refusalFor(error: unknown, card: string): unknown {
  if (
    error instanceof ApiError &&
    error.code === 'card-invalid' &&
    card.trim().startsWith('AWN1.')
  ) {
    return new ApiError(error.status, 'card-signature-invalid', error.detail, [], error.body);
  }
  return error;
}

function Refusal({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert
      color="red"
      variant="filled"
      role="alert"
      data-testid="refusal"
      title={t('counter.refused')}
    >
      <Text size="lg">{problemMessage(t, error)}</Text>
    </Alert>
  );
}

/** Quantities typed per commodity, prefilled with everything that remains. */
type Quantities = Record<string, string>;

function HandOver({
  holder,
  servicePointId,
  onDone,
  onCancel,
}: {
  holder: CardHolder;
  servicePointId: string;
  onDone: (redemption: CounterRedemption) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const client = useQueryClient();
  const remaining = remainingByCommodity(holder.entitlements);
  const unitsOf = (code: string): CommodityUnits => commodities.data?.get(code) ?? plainUnits;
  const plainNumber = (value: number) => format.digits(String(Number(value.toFixed(3))));
  const [quantities, setQuantities] = useState<Quantities>(() =>
    Object.fromEntries(
      [...remaining].map(([code, amount]) => [
        code,
        amount > 0 ? plainNumber(toDisplayAmount(amount, unitsOf(code))) : '',
      ]),
    ),
  );
  // One id for this hand-over: pressing confirm again after a lost answer cannot serve twice.
  const [redemptionId] = useState(newId);
  const handOver = useMutation({
    mutationFn: redeem,
    onSuccess: (redemption) => {
      void client.invalidateQueries({ queryKey: ['households', holder.household.id] });
      void client.invalidateQueries({ queryKey: ['stock', servicePointId] });
      onDone(redemption);
    },
  });

  const items: { commodity: string; quantity: number }[] = [];
  const problems: Record<string, string> = {};
  for (const [code, text] of Object.entries(quantities)) {
    if (text.trim() === '') continue;
    const value = parseDecimal(text);
    const base = value === null ? null : toBaseAmount(value, unitsOf(code));
    if (base === null) problems[code] = t('counter.quantityInvalid');
    else if (base > (remaining.get(code) ?? 0)) problems[code] = t('counter.quantityTooMuch');
    else if (base > 0) items.push({ commodity: code, quantity: base });
  }
  const nothingLeft = [...remaining.values()].every((amount) => amount <= 0);
  const endsOn = holder.entitlements.map((item) => item.ends_on).sort()[0];

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    handOver.mutate({
      id: redemptionId,
      card: holder.card,
      service_point_id: servicePointId,
      items,
    });
  };

  return (
    <Card withBorder component="form" onSubmit={confirm} aria-label={t('counter.handOver')}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <div>
            <Title order={3} data-testid="counter-household">
              {holder.household.head_full_name}
            </Title>
            <Text size="sm" c="dimmed">
              {t('households.cardNumber')}:{' '}
              <span className="numeric">{format.digits(holder.cardNumber)}</span> ·{' '}
              {t('households.size')}: {format.number(holder.household.household_size)}
            </Text>
          </div>
          {holder.household.status !== 'active' && (
            <Badge color="orange" size="lg">
              {t(`households.statuses.${holder.household.status}`, {
                defaultValue: holder.household.status,
              })}
            </Badge>
          )}
        </Group>
        {holder.entitlements.length === 0 ? (
          <Refusal error={new ApiError(409, 'no-entitlement', '', [], {})} />
        ) : nothingLeft ? (
          <Refusal error={new ApiError(409, 'nothing-left-all', '', [], {})} />
        ) : null}
        {remaining.size > 0 && (
          <Table data-testid="counter-entitlements">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('entitlements.commodity')}</Table.Th>
                <Table.Th>{t('entitlements.remaining')}</Table.Th>
                <Table.Th>{t('counter.handOverNow')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...remaining].map(([code, amount]) => {
                const commodity = commodities.data?.get(code);
                const name = commodity ? localName(commodity) : code;
                const units = unitsOf(code);
                return (
                  <Table.Tr key={code}>
                    <Table.Td>{name}</Table.Td>
                    <Table.Td className="numeric" data-testid={`remaining-${code}`}>
                      {format.quantity(amount, units)}
                    </Table.Td>
                    <Table.Td>
                      {amount > 0 ? (
                        <TextInput
                          aria-label={t('counter.quantityOf', {
                            name,
                            unit: t(`units.${units.display_unit}`, {
                              defaultValue: units.display_unit,
                            }),
                          })}
                          inputMode="decimal"
                          value={quantities[code] ?? ''}
                          onChange={(event) =>
                            setQuantities({ ...quantities, [code]: event.currentTarget.value })
                          }
                          error={problems[code]}
                          rightSection={
                            <Text size="xs">
                              {t(`units.${units.display_unit}`, {
                                defaultValue: units.display_unit,
                              })}
                            </Text>
                          }
                          rightSectionWidth={48}
                          name={`quantity-${code}`}
                          maw={180}
                        />
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('counter.nothingLeft')}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
        {endsOn && (
          <Text size="sm" c="dimmed">
            {t('counter.endsOn', { date: format.date(endsOn) })}
          </Text>
        )}
        <Refusal error={refusalFor(handOver.error, holder.card)} />
        <Group>
          <Button
            type="submit"
            size="lg"
            loading={handOver.isPending}
            disabled={items.length === 0 || Object.keys(problems).length > 0}
            data-testid="confirm-redemption"
          >
            {t('counter.confirm')}
          </Button>
          <Button variant="default" size="lg" onClick={onCancel}>
            {t('counter.nextHousehold')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function Receipt({
  holder,
  redemption,
  servicePointName,
  onNext,
}: {
  holder: CardHolder;
  redemption: CounterRedemption;
  servicePointName: string;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  const remaining = remainingByCommodity(redemption.remaining);
  return (
    <Card withBorder data-testid="receipt" aria-label={t('counter.receipt')}>
      <Stack gap="xs">
        <Alert color="teal" role="status" title={t('counter.done')} />
        <Title order={3} size="h4">
          {t('counter.receipt')}
        </Title>
        <Text>{holder.household.head_full_name}</Text>
        <Text size="sm">
          {t('households.cardNumber')}:{' '}
          <span className="numeric">{format.digits(holder.cardNumber)}</span>
        </Text>
        <Text size="sm">
          {servicePointName} · {format.dateTime(redemption.created_at)}
        </Text>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('entitlements.commodity')}</Table.Th>
              <Table.Th>{t('counter.handedOver')}</Table.Th>
              <Table.Th>{t('entitlements.remaining')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {redemption.items.map((item) => {
              const commodity = commodities.data?.get(item.commodity);
              const units = commodity ?? plainUnits;
              return (
                <Table.Tr key={item.commodity}>
                  <Table.Td>{commodity ? localName(commodity) : item.commodity}</Table.Td>
                  <Table.Td className="numeric">{format.quantity(item.quantity, units)}</Table.Td>
                  <Table.Td className="numeric" data-testid={`receipt-remaining-${item.commodity}`}>
                    {format.quantity(remaining.get(item.commodity) ?? 0, units)}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" className="ltr-value">
          {redemption.id}
        </Text>
        <Group className="no-print">
          <Button ref={next} size="lg" onClick={onNext} data-testid="next-household">
            {t('counter.nextHousehold')}
          </Button>
          <Button variant="default" size="lg" onClick={() => window.print()}>
            {t('common.print')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export default function Counter() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const points = useServicePoints();
  const commodities = useCommodities();
  const [servicePoint, setServicePoint] = useState<string | null>(rememberedServicePoint);
  const [card, setCard] = useState('');
  const [scanning, setScanning] = useState(false);
  const [holder, setHolder] = useState<CardHolder | null>(null);
  const [receipt, setReceipt] = useState<CounterRedemption | null>(null);
  const cardInput = useRef<HTMLInputElement>(null);
  const lookup = useMutation({
    mutationFn: (text: string) => findCardHolder(text),
    onSuccess: setHolder,
  });
  const point = points.data?.find((item) => item.id === servicePoint);

  const reset = () => {
    setHolder(null);
    setReceipt(null);
    setCard('');
    lookup.reset();
    setTimeout(() => cardInput.current?.focus(), 0);
  };
  const find = (event?: FormEvent) => {
    event?.preventDefault();
    if (card.trim()) lookup.mutate(card);
  };

  return (
    <>
      <PageHeader title={t('menu.counter')} />
      <Stack gap="md" maw={720}>
        <ServicePointSelect
          label={t('counter.servicePoint')}
          value={servicePoint}
          onChange={setServicePoint}
          required
          data-testid="counter-service-point"
        />
        {!servicePoint ? (
          <Alert color="blue">{t('problems.service-point-required')}</Alert>
        ) : receipt && holder ? (
          <Receipt
            holder={holder}
            redemption={receipt}
            servicePointName={point ? localName(point) : ''}
            onNext={reset}
          />
        ) : holder && !commodities.data ? (
          <Loading />
        ) : holder ? (
          // Rendered once the units are known: the quantities are prefilled in display units.
          <HandOver
            holder={holder}
            servicePointId={servicePoint}
            onDone={setReceipt}
            onCancel={reset}
          />
        ) : (
          <Card withBorder component="form" onSubmit={find} aria-label={t('counter.findCard')}>
            <Stack gap="sm">
              <TextInput
                ref={cardInput}
                label={t('counter.cardNumber')}
                description={t('counter.cardNumberHint')}
                name="card"
                value={card}
                onChange={(event) => setCard(event.currentTarget.value)}
                inputMode="numeric"
                autoComplete="off"
                dir="ltr"
                size="lg"
                data-autofocus
                autoFocus
              />
              <Group>
                <Button type="submit" size="lg" loading={lookup.isPending} disabled={!card.trim()}>
                  {t('counter.find')}
                </Button>
                <Button variant="light" size="lg" onClick={() => setScanning(true)}>
                  {t('counter.scan.button')}
                </Button>
              </Group>
              <Refusal error={refusalFor(lookup.error, card)} />
            </Stack>
          </Card>
        )}
      </Stack>
      <Modal
        opened={scanning}
        onClose={() => setScanning(false)}
        title={t('counter.scan.title')}
        centered
      >
        {scanning && (
          <QrScanner
            onClose={() => setScanning(false)}
            onResult={(text) => {
              setScanning(false);
              setCard(text);
              lookup.mutate(text);
            }}
          />
        )}
      </Modal>
    </>
  );
}
