/**
 * The counter (outlet clerks): scan the card or type its number (the server checks it at once:
 * a forged or revoked card is refused at lookup), see the household and what remains, hand
 * over (prefilled with what the outlet serves, at most the day's or the visit's limit), print
 * a receipt. The card field keeps the focus for the next scan; Escape cancels. Every refusal is
 * said in plain words, naming the item and what is left when the screen was out of date.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, newId } from '../api/client';
import { plainUnits, useCommodities } from '../api/commodities';
import {
  closeDay,
  daySheetUrl,
  findCardHolder,
  findCollectors,
  getDay,
  offersAt,
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
import { useCan } from '../lib/use-can';

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

/** The numbers a refusal of a stale screen carries: which item, and how much is left of it. */
function staleDetail(error: unknown): { commodity: string; amount: number } | null {
  if (!(error instanceof ApiError) || typeof error.body.commodity !== 'string') return null;
  const commodity = error.body.commodity;
  const body = error.body;
  switch (error.code) {
    case 'insufficient-entitlement': {
      const remaining = Array.isArray(body.remaining)
        ? (body.remaining as { commodity: string; remaining: number }[])
        : [];
      return {
        commodity,
        amount: remaining
          .filter((entry) => entry.commodity === commodity)
          .reduce((sum, entry) => sum + entry.remaining, 0),
      };
    }
    case 'daily-limit-reached':
      return { commodity, amount: Number(body.left_today ?? 0) };
    case 'visit-limit-reached':
      return { commodity, amount: Number(body.per_visit_max ?? 0) };
    case 'insufficient-stock':
      return { commodity, amount: Number(body.available ?? 0) };
    default:
      return null;
  }
}

function Refusal({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  if (!error) return null;
  const stale = staleDetail(error);
  const commodity = stale ? commodities.data?.get(stale.commodity) : undefined;
  return (
    <Alert
      color="red"
      variant="filled"
      role="alert"
      data-testid="refusal"
      title={t('counter.refused')}
    >
      <Text size="lg">
        {stale && error instanceof ApiError
          ? t(`counter.stale.${error.code}`, {
              name: commodity ? localName(commodity) : stale.commodity,
              amount: format.quantity(stale.amount, commodity ?? plainUnits),
            })
          : problemMessage(t, error)}
      </Text>
    </Alert>
  );
}

/** Quantities typed per commodity, prefilled with the most one hand-over may take. */
type Quantities = Record<string, string>;

function HandOver({
  holder,
  servicePointId,
  served,
  onDone,
  onCancel,
}: {
  holder: CardHolder;
  servicePointId: string;
  /** What the outlet hands out; null: everything. */
  served: readonly string[] | null;
  onDone: (redemption: CounterRedemption) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const client = useQueryClient();
  const offers = offersAt(holder, served);
  const nameOf = (code: string) => {
    const commodity = commodities.data?.get(code);
    return commodity ? localName(commodity) : code;
  };
  const notServed = [
    ...new Set(
      holder.entitlements
        .filter(
          (item) =>
            item.redeemable && item.remaining > 0 && served && !served.includes(item.commodity),
        )
        .map((item) => item.commodity),
    ),
  ];
  const unitsOf = (code: string): CommodityUnits => commodities.data?.get(code) ?? plainUnits;
  const plainNumber = (value: number) => format.digits(String(Number(value.toFixed(3))));
  const [quantities, setQuantities] = useState<Quantities>(() =>
    Object.fromEntries(
      offers.map((offer) => [
        offer.commodity,
        offer.most > 0 ? plainNumber(toDisplayAmount(offer.most, unitsOf(offer.commodity))) : '',
      ]),
    ),
  );
  // One id for this hand-over: pressing confirm again after a lost answer cannot serve twice.
  const [redemptionId] = useState(newId);
  const collectors = useQuery({
    queryKey: ['households', holder.household.id, 'collectors'],
    queryFn: () => findCollectors(holder.household.id),
  });
  const [collectedBy, setCollectedBy] = useState('head');
  const mayOverride = useCan('redemptions.override');
  const [overrideReason, setOverrideReason] = useState('');
  const points = useServicePoints();
  const handOver = useMutation({
    mutationFn: redeem,
    onSuccess: (redemption) => {
      void client.invalidateQueries({ queryKey: ['households', holder.household.id] });
      void client.invalidateQueries({ queryKey: ['stock', servicePointId] });
      onDone(redemption);
    },
  });

  const items: { commodity: string; quantity: number }[] = [];
  const typed = new Map<string, number>();
  const problems: Record<string, string> = {};
  for (const offer of offers) {
    const code = offer.commodity;
    const text = quantities[code] ?? '';
    if (text.trim() === '') continue;
    const value = parseDecimal(text);
    const base = value === null ? null : toBaseAmount(value, unitsOf(code));
    const amount = (quantity: number) => format.quantity(quantity, unitsOf(code));
    if (base === null) problems[code] = t('counter.quantityInvalid');
    else if (base > offer.remaining) problems[code] = t('counter.quantityTooMuch');
    else if (offer.leftToday !== null && base > offer.leftToday)
      problems[code] = t('counter.overToday', { amount: amount(offer.leftToday) });
    else if (base > offer.most)
      problems[code] = t('counter.overVisit', { amount: amount(offer.most) });
    else if (base > 0) {
      items.push({ commodity: code, quantity: base });
      typed.set(code, base);
    }
  }
  const active = holder.household.status === 'active';
  const nothingLeft = offers.every((offer) => offer.remaining <= 0);
  const endsOn = holder.entitlements.map((item) => item.ends_on).sort()[0];

  const submit = (override?: string) =>
    handOver.mutate({
      id: redemptionId,
      card: holder.card,
      service_point_id: servicePointId,
      items,
      collected_by: collectedBy,
      ...(override ? { override_reason: override } : {}),
    });
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    if (!active) return;
    submit();
  };
  // Refused away from the household's home service point: say which is its home.
  const refusal = handOver.error instanceof ApiError ? handOver.error : null;
  const wrongPlace =
    refusal?.code === 'wrong-service-point'
      ? points.data?.find((item) => item.id === refusal.body.home_service_point_id)
      : undefined;

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
          {!active && (
            <Badge color="orange" size="lg">
              {t(`households.statuses.${holder.household.status}`, {
                defaultValue: holder.household.status,
              })}
            </Badge>
          )}
        </Group>
        {!active && (
          <Alert color="orange" variant="filled" role="alert" data-testid="not-active">
            {t('counter.notActive', {
              status: t(`households.statuses.${holder.household.status}`, {
                defaultValue: holder.household.status,
              }),
            })}
          </Alert>
        )}
        {holder.entitlements.length === 0 ? (
          <Refusal error={new ApiError(409, 'no-entitlement', '', [], {})} />
        ) : nothingLeft && notServed.length === 0 ? (
          <Refusal error={new ApiError(409, 'nothing-left-all', '', [], {})} />
        ) : null}
        {notServed.length > 0 && (
          <Text size="sm" c="dimmed" data-testid="not-served">
            {t('counter.notServedHere', { names: notServed.map(nameOf).join('، ') })}
          </Text>
        )}
        {offers.length > 0 && (
          <Table data-testid="counter-entitlements">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('entitlements.commodity')}</Table.Th>
                <Table.Th>{t('entitlements.remaining')}</Table.Th>
                <Table.Th>{t('counter.handOverNow')}</Table.Th>
                <Table.Th>{t('counter.afterHandOver')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {offers.map((offer) => {
                const code = offer.commodity;
                const name = nameOf(code);
                const units = unitsOf(code);
                const unit = t(`units.${units.display_unit}`, { defaultValue: units.display_unit });
                return (
                  <Table.Tr key={code}>
                    <Table.Td>{name}</Table.Td>
                    <Table.Td>
                      <span className="numeric" data-testid={`remaining-${code}`}>
                        {format.quantity(offer.remaining, units)}
                      </span>
                      {offer.leftToday !== null && (
                        <Text size="xs" c="dimmed" data-testid={`left-today-${code}`}>
                          {t('counter.leftToday', {
                            amount: format.quantity(offer.leftToday, units),
                          })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {offer.most > 0 ? (
                        <TextInput
                          aria-label={t('counter.quantityOf', { name, unit })}
                          inputMode="decimal"
                          value={quantities[code] ?? ''}
                          onChange={(event) =>
                            setQuantities({ ...quantities, [code]: event.currentTarget.value })
                          }
                          error={problems[code]}
                          rightSection={<Text size="xs">{unit}</Text>}
                          rightSectionWidth={48}
                          name={`quantity-${code}`}
                          maw={180}
                        />
                      ) : (
                        <Text size="sm" c="dimmed">
                          {offer.remaining > 0 ? t('counter.noneToday') : t('counter.nothingLeft')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td className="numeric" data-testid={`after-${code}`}>
                      {format.quantity(offer.remaining - (typed.get(code) ?? 0), units)}
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
        {(collectors.data?.length ?? 0) > 1 && (
          <Select
            label={t('desk.collectedBy')}
            allowDeselect={false}
            value={collectedBy}
            onChange={(value) => setCollectedBy(value ?? 'head')}
            data={(collectors.data ?? []).map((collector) => ({
              value: collector.collector,
              label: t(`desk.${collector.kind}`, {
                name: collector.relation
                  ? `${collector.name} (${collector.relation})`
                  : collector.name,
              }),
            }))}
            maw={420}
            data-testid="collected-by"
          />
        )}
        <Refusal error={refusalFor(handOver.error, holder.card)} />
        {wrongPlace && (
          <Text data-testid="home-service-point">
            {t('desk.homeIs', { name: localName(wrongPlace) })}
          </Text>
        )}
        {handOver.error instanceof ApiError &&
          handOver.error.code === 'wrong-service-point' &&
          mayOverride && (
            <Group align="flex-end">
              <TextInput
                label={t('desk.overrideReason')}
                value={overrideReason}
                onChange={(event) => setOverrideReason(event.currentTarget.value)}
                miw={280}
                data-testid="override-reason"
              />
              <Button
                color="orange"
                disabled={overrideReason.trim().length < 3}
                loading={handOver.isPending}
                onClick={() => submit(overrideReason.trim())}
                data-testid="override-confirm"
              >
                {t('desk.overrideConfirm')}
              </Button>
            </Group>
          )}
        <Group>
          <Button
            type="submit"
            size="lg"
            loading={handOver.isPending}
            disabled={!active || items.length === 0 || Object.keys(problems).length > 0}
            data-testid="confirm-redemption"
          >
            {t('counter.confirm')}
          </Button>
          <Button variant="default" size="lg" onClick={onCancel} data-testid="cancel-hand-over">
            {t('counter.cancel')}
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
          <Button size="lg" onClick={onNext} data-testid="next-household">
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

/** Today as YYYY-MM-DD on this device's calendar (the server checks it is its today). */
function todayOnDevice(): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Day close at the service point: received and handed out today, on hand by the books, and the
 * clerk's count of each commodity; the difference is recorded and posted; the sheet prints.
 */
function DayClosePanel({
  servicePointId,
  onClose,
}: {
  servicePointId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const client = useQueryClient();
  const date = todayOnDevice();
  const day = useQuery({
    queryKey: ['day-close', servicePointId, date],
    queryFn: () => getDay(servicePointId, date),
  });
  const [counts, setCounts] = useState<Record<string, string>>({});
  const close = useMutation({
    mutationFn: () =>
      closeDay(servicePointId, {
        date,
        counts: (day.data?.lines ?? []).map((line) => {
          const units = commodities.data?.get(line.commodity) ?? plainUnits;
          const value = parseDecimal(counts[line.commodity] ?? '');
          return {
            commodity: line.commodity,
            quantity: value === null ? -1 : (toBaseAmount(value, units) ?? -1),
          };
        }),
      }),
    onSuccess: (closed) => {
      client.setQueryData(['day-close', servicePointId, date], closed);
      void client.invalidateQueries({ queryKey: ['stock', servicePointId] });
    },
  });
  const lines = day.data?.lines ?? [];
  const complete = lines.every((line) => parseDecimal(counts[line.commodity] ?? '') !== null);
  const amount = (value: number | null, code: string) =>
    value === null ? '—' : format.quantity(value, commodities.data?.get(code) ?? plainUnits);
  return (
    <Modal opened onClose={onClose} title={t('desk.dayClose')} size="xl" centered>
      {day.isPending || !commodities.data ? (
        <Loading />
      ) : (
        <Stack gap="sm" data-testid="day-close">
          <Text size="sm" c="dimmed">
            {t('desk.dayCloseHint')}
          </Text>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('entitlements.commodity')}</Table.Th>
                <Table.Th>{t('desk.received')}</Table.Th>
                <Table.Th>{t('desk.handedOut')}</Table.Th>
                <Table.Th>{t('desk.onHandBooks')}</Table.Th>
                <Table.Th>{t('desk.counted')}</Table.Th>
                <Table.Th>{t('desk.difference')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((line) => {
                const commodity = commodities.data?.get(line.commodity);
                const name = commodity ? localName(commodity) : line.commodity;
                return (
                  <Table.Tr key={line.commodity}>
                    <Table.Td>{name}</Table.Td>
                    <Table.Td className="numeric">{amount(line.received, line.commodity)}</Table.Td>
                    <Table.Td className="numeric">
                      {amount(line.handed_out, line.commodity)}
                    </Table.Td>
                    <Table.Td className="numeric">
                      {amount(line.on_hand_books, line.commodity)}
                    </Table.Td>
                    <Table.Td>
                      {day.data?.closed ? (
                        <span className="numeric">{amount(line.counted, line.commodity)}</span>
                      ) : (
                        <TextInput
                          aria-label={t('desk.countOf', { name })}
                          inputMode="decimal"
                          value={counts[line.commodity] ?? ''}
                          onChange={(event) =>
                            setCounts({ ...counts, [line.commodity]: event.currentTarget.value })
                          }
                          maw={140}
                        />
                      )}
                    </Table.Td>
                    <Table.Td className="numeric" data-testid={`difference-${line.commodity}`}>
                      {amount(line.difference, line.commodity)}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <Refusal error={close.error ?? day.error} />
          {day.data?.closed && (
            <Alert color="teal" role="status">
              {t('desk.closed')}
            </Alert>
          )}
          <Group>
            {!day.data?.closed && (
              <Button
                onClick={() => close.mutate()}
                loading={close.isPending}
                disabled={!complete || lines.length === 0}
                data-testid="close-day"
              >
                {t('desk.closeNow')}
              </Button>
            )}
            <Anchor
              href={daySheetUrl(servicePointId, date)}
              target="_blank"
              data-testid="day-sheet"
            >
              {t('desk.printSheet')}
            </Anchor>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** Focuses the card field and selects its text, so the next scan or typed number replaces it. */
function focusCard(cardInput: RefObject<HTMLInputElement | null>): void {
  setTimeout(() => {
    cardInput.current?.focus();
    cardInput.current?.select();
  }, 0);
}

export default function Counter() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const points = useServicePoints();
  const commodities = useCommodities();
  const [servicePoint, setServicePoint] = useState<string | null>(rememberedServicePoint);
  const [card, setCard] = useState('');
  const [scanning, setScanning] = useState(false);
  const [closingDay, setClosingDay] = useState(false);
  const mayCloseDay = useCan('stock.dayClose');
  const [holder, setHolder] = useState<CardHolder | null>(null);
  const [receipt, setReceipt] = useState<CounterRedemption | null>(null);
  const cardInput = useRef<HTMLInputElement>(null);
  const lookup = useMutation({
    mutationFn: (text: string) => findCardHolder(text),
    onMutate: () => {
      setHolder(null);
      setReceipt(null);
    },
    onSuccess: (found) => {
      setHolder(found);
      focusCard(cardInput);
    },
  });
  const point = points.data?.find((item) => item.id === servicePoint);

  const reset = () => {
    setHolder(null);
    setReceipt(null);
    setCard('');
    lookup.reset();
    focusCard(cardInput);
  };
  const find = (event?: FormEvent) => {
    event?.preventDefault();
    if (card.trim()) lookup.mutate(card);
  };
  // Escape cancels the household on screen (or the lookup's refusal), from anywhere on the page.
  const resetRef = useRef(reset);
  resetRef.current = reset;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !scanning && !closingDay) resetRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [scanning, closingDay]);

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
        ) : (
          <>
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
                  <Button
                    type="submit"
                    size="lg"
                    loading={lookup.isPending}
                    disabled={!card.trim()}
                  >
                    {t('counter.find')}
                  </Button>
                  <Button variant="light" size="lg" onClick={() => setScanning(true)}>
                    {t('counter.scan.button')}
                  </Button>
                  {mayCloseDay && (
                    <Button
                      variant="subtle"
                      size="lg"
                      onClick={() => setClosingDay(true)}
                      data-testid="open-day-close"
                    >
                      {t('desk.dayClose')}
                    </Button>
                  )}
                </Group>
                <Refusal error={refusalFor(lookup.error, card)} />
              </Stack>
            </Card>
            {receipt && holder ? (
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
                key={holder.card}
                holder={holder}
                servicePointId={servicePoint}
                served={point?.commodities ?? null}
                onDone={(redemption) => {
                  setReceipt(redemption);
                  setCard('');
                  focusCard(cardInput);
                }}
                onCancel={reset}
              />
            ) : null}
          </>
        )}
      </Stack>
      {closingDay && servicePoint && (
        <DayClosePanel servicePointId={servicePoint} onClose={() => setClosingDay(false)} />
      )}
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
