/**
 * The warehouse: its lots and what each holds by state (from the ledger), receiving a donation
 * (receipt and labels to print), and allocations with their next step (approve, dispatch with
 * a waybill, receive, cancel).
 */
import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiBase, newId } from '../../api/client';
import { plainUnits, useCommodities } from '../../api/commodities';
import {
  useAllocations,
  useDonors,
  useLots,
  useStoreWrite,
  useWarehouses,
  type AllocationView,
  type DonationView,
  type DonorStatementView,
  type LotView,
  type StockCountView,
} from '../../api/stores';
import { DateField } from '../../components/DateField';
import { QrScanner } from '../../components/QrScanner';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { parseDecimal } from '../../lib/digits';
import { toBaseAmount, useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';
import { useCan } from '../../lib/use-can';

const statusColour: Record<string, string> = {
  quarantined: 'orange',
  released: 'green',
  rejected: 'red',
  expired: 'gray',
  draft: 'gray',
  approved: 'blue',
  dispatched: 'orange',
  received: 'green',
  cancelled: 'red',
};

function Lots({ warehouseId }: { warehouseId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const lots = useLots({ warehouse_id: warehouseId });
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          {t('stores.lots')}
        </Title>
        <Anchor
          href={`${apiBase}/lots/labels?warehouse_id=${encodeURIComponent(warehouseId)}`}
          target="_blank"
        >
          {t('stores.printLabels')}
        </Anchor>
      </Group>
      <QueryState isPending={lots.isPending} error={lots.error}>
        {(lots.data?.items ?? []).length === 0 ? (
          <Text c="dimmed">{t('stores.noLots')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped data-testid="lots-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('stores.lot')}</Table.Th>
                  <Table.Th>{t('entitlements.commodity')}</Table.Th>
                  <Table.Th>{t('stores.status')}</Table.Th>
                  <Table.Th>{t('stores.expiresOn')}</Table.Th>
                  <Table.Th>{t('stores.states.quarantined')}</Table.Th>
                  <Table.Th>{t('stores.states.available')}</Table.Th>
                  <Table.Th>{t('stores.states.allocated')}</Table.Th>
                  <Table.Th>{t('stores.states.in_transit')}</Table.Th>
                  <Table.Th>{t('stores.states.rejected')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(lots.data?.items ?? []).map((lot) => {
                  const commodity = commodities.data?.get(lot.commodity);
                  const units = commodity ?? plainUnits;
                  const cell = (value: number) => (
                    <Table.Td className="numeric">{format.quantity(value, units)}</Table.Td>
                  );
                  return (
                    <Table.Tr key={lot.id}>
                      <Table.Td dir="ltr">{lot.number}</Table.Td>
                      <Table.Td>{commodity ? localName(commodity) : lot.commodity}</Table.Td>
                      <Table.Td>
                        <Badge color={statusColour[lot.status]} variant="light">
                          {t(`stores.lotStatus.${lot.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{lot.expires_on ?? '—'}</Table.Td>
                      {cell(lot.in_warehouse.quarantined)}
                      {cell(lot.in_warehouse.available)}
                      {cell(lot.in_warehouse.allocated - lot.in_warehouse.in_transit)}
                      {cell(lot.in_warehouse.in_transit)}
                      {cell(lot.in_warehouse.rejected)}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Paper>
  );
}

interface Line {
  key: string;
  commodity: string | null;
  quantity: string;
  lot_number: string;
  expires_on: string;
}

const emptyLine = (): Line => ({
  key: newId(),
  commodity: null,
  quantity: '',
  lot_number: '',
  expires_on: '',
});

function ReceiveDonation({ warehouseId }: { warehouseId: string }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const commodities = useCommodities();
  const donors = useDonors(true);
  const [donationId, setDonationId] = useState(newId);
  const [donor, setDonor] = useState<string | null>(null);
  const [newDonorKind, setNewDonorKind] = useState<string | null>('member');
  const [newDonorName, setNewDonorName] = useState('');
  const [lines, setLines] = useState<Line[]>([emptyLine()]);
  const [received, setReceived] = useState<DonationView | null>(null);
  const addDonor = useStoreWrite((body: object) => api.post<{ id: string }>('/donors', body));
  const receive = useStoreWrite((body: object) => api.post<DonationView>('/donations', body));
  const errors = fieldErrors(t, receive.error);
  const update = (key: string, change: Partial<Line>) =>
    setLines((current) =>
      current.map((line) => (line.key === key ? { ...line, ...change } : line)),
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!donor) return;
    receive.mutate(
      {
        id: donationId,
        warehouse_id: warehouseId,
        donor_id: donor,
        lines: lines.map((line) => {
          const units = (line.commodity && commodities.data?.get(line.commodity)) || plainUnits;
          return {
            commodity: line.commodity ?? '',
            quantity: toBaseAmount(parseDecimal(line.quantity) ?? 0, units),
            ...(line.lot_number.trim() ? { lot_number: line.lot_number.trim() } : {}),
            ...(line.expires_on ? { expires_on: line.expires_on } : {}),
          };
        }),
      },
      {
        onSuccess: (donation) => {
          setReceived(donation);
          setDonationId(newId());
          setLines([emptyLine()]);
        },
      },
    );
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={t('stores.receive')}>
      <Title order={3} size="h4" mb="sm">
        {t('stores.receive')}
      </Title>
      <ProblemAlert error={receive.error ?? addDonor.error} />
      {received && (
        <Group data-testid="donation-received" mb="sm">
          <Text>{t('stores.received', { number: received.receipt_number })}</Text>
          <Anchor href={`${apiBase}/donations/${received.id}/receipt`} target="_blank">
            {t('stores.printReceipt')}
          </Anchor>
          <Anchor href={`${apiBase}/lots/labels?donation_id=${received.id}`} target="_blank">
            {t('stores.printLabels')}
          </Anchor>
        </Group>
      )}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label={t('stores.donor')}
          required
          searchable
          value={donor}
          onChange={setDonor}
          error={errors.donor_id}
          data={(donors.data?.items ?? []).map((item) => ({
            value: item.id,
            label: item.name ?? t('stores.donorKinds.anonymous'),
          }))}
        />
        <Select
          label={t('stores.newDonorKind')}
          value={newDonorKind}
          onChange={setNewDonorKind}
          data={(['member', 'person', 'organisation', 'anonymous'] as const).map((kind) => ({
            value: kind,
            label: t(`stores.donorKinds.${kind}`),
          }))}
        />
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            label={t('stores.newDonorName')}
            value={newDonorName}
            disabled={newDonorKind === 'anonymous'}
            onChange={(event) => setNewDonorName(event.currentTarget.value)}
          />
          <Button
            variant="light"
            loading={addDonor.isPending}
            onClick={() =>
              addDonor.mutate(
                {
                  kind: newDonorKind ?? 'member',
                  ...(newDonorKind !== 'anonymous' ? { name: newDonorName.trim() } : {}),
                },
                {
                  onSuccess: (created) => {
                    setDonor(created.id);
                    setNewDonorName('');
                  },
                },
              )
            }
          >
            {t('stores.addDonor')}
          </Button>
        </Group>
      </SimpleGrid>
      {lines.map((line, index) => (
        <SimpleGrid key={line.key} cols={{ base: 1, sm: 5 }} mt="xs">
          <Select
            label={t('entitlements.commodity')}
            required
            value={line.commodity}
            error={errors[`lines.${index}.commodity`]}
            onChange={(value) => update(line.key, { commodity: value })}
            data={[...(commodities.data?.values() ?? [])].map((item) => ({
              value: item.code,
              label: localName(item),
            }))}
          />
          <TextInput
            label={t('stores.quantity')}
            inputMode="decimal"
            required
            value={line.quantity}
            error={errors[`lines.${index}.quantity`]}
            onChange={(event) => update(line.key, { quantity: event.currentTarget.value })}
          />
          <TextInput
            label={t('stores.lotNumber')}
            value={line.lot_number}
            error={errors[`lines.${index}.lot_number`]}
            onChange={(event) => update(line.key, { lot_number: event.currentTarget.value })}
          />
          <DateField
            label={t('stores.expiresOn')}
            value={line.expires_on}
            onChange={(day) => update(line.key, { expires_on: day })}
          />
          <Group align="flex-end">
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('stores.removeLine')}
              disabled={lines.length === 1}
              onClick={() => setLines((current) => current.filter((item) => item.key !== line.key))}
            >
              ×
            </ActionIcon>
          </Group>
        </SimpleGrid>
      ))}
      <Group mt="sm">
        <Button variant="default" onClick={() => setLines((current) => [...current, emptyLine()])}>
          {t('stores.addLine')}
        </Button>
        <Button type="submit" loading={receive.isPending} disabled={!donor}>
          {t('stores.receiveSubmit')}
        </Button>
      </Group>
    </Paper>
  );
}

const recipientKinds = ['partner', 'team', 'org_unit', 'service_point', 'warehouse'] as const;

function NewAllocation({ warehouseId }: { warehouseId: string }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const commodities = useCommodities();
  const partners = useQuery({
    queryKey: ['partners'],
    queryFn: ({ signal }) =>
      api.get<{ items: { id: string; name_ar: string; name_en: string }[] }>(
        '/partners',
        undefined,
        signal,
      ),
  });
  const [id, setId] = useState(newId);
  const [kind, setKind] = useState<string | null>('partner');
  const [recipient, setRecipient] = useState<string | null>(null);
  const [commodity, setCommodity] = useState<string | null>(null);
  const [quantity, setQuantity] = useState('');
  const [purpose, setPurpose] = useState('');
  const create = useStoreWrite((body: object) => api.post('/allocations', body));
  const errors = fieldErrors(t, create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const units = (commodity && commodities.data?.get(commodity)) || plainUnits;
    create.mutate(
      {
        id,
        warehouse_id: warehouseId,
        recipient: { kind, id: recipient?.trim() },
        lines: [{ commodity, quantity: toBaseAmount(parseDecimal(quantity) ?? 0, units) }],
        purpose: purpose.trim(),
      },
      {
        onSuccess: () => {
          setId(newId());
          setQuantity('');
        },
      },
    );
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={t('stores.allocate')}>
      <Title order={3} size="h4" mb="sm">
        {t('stores.allocate')}
      </Title>
      <ProblemAlert error={create.error} />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label={t('stores.recipientKind')}
          required
          value={kind}
          onChange={(value) => {
            setKind(value);
            setRecipient(null);
          }}
          data={recipientKinds.map((value) => ({
            value,
            label: t(`stores.recipientKinds.${value}`),
          }))}
        />
        {kind === 'partner' ? (
          <Select
            label={t('stores.recipient')}
            required
            searchable
            value={recipient}
            onChange={setRecipient}
            error={errors['recipient.id']}
            data={(partners.data?.items ?? []).map((item) => ({
              value: item.id,
              label: localName(item),
            }))}
          />
        ) : (
          <TextInput
            label={t('stores.recipientId')}
            required
            value={recipient ?? ''}
            error={errors['recipient.id']}
            onChange={(event) => setRecipient(event.currentTarget.value)}
          />
        )}
        <TextInput
          label={t('stores.purpose')}
          required
          value={purpose}
          error={errors.purpose}
          onChange={(event) => setPurpose(event.currentTarget.value)}
        />
        <Select
          label={t('entitlements.commodity')}
          required
          value={commodity}
          onChange={setCommodity}
          data={[...(commodities.data?.values() ?? [])].map((item) => ({
            value: item.code,
            label: localName(item),
          }))}
        />
        <TextInput
          label={t('stores.quantity')}
          description={t('stores.firstExpiry')}
          inputMode="decimal"
          required
          value={quantity}
          onChange={(event) => setQuantity(event.currentTarget.value)}
        />
        <Group align="flex-end">
          <Button type="submit" loading={create.isPending} disabled={!commodity || !recipient}>
            {t('stores.draft')}
          </Button>
        </Group>
      </SimpleGrid>
    </Paper>
  );
}

function AllocationRow({ allocation }: { allocation: AllocationView }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const format = useFormat();
  const commodities = useCommodities();
  const mayApprove = useCan('allocations.approve');
  const mayWrite = useCan('allocations.write');
  const step = useStoreWrite((action: string) =>
    api.post(`/allocations/${encodeURIComponent(allocation.id)}/${action}`, {}),
  );
  const button = (action: string, allowed: boolean) =>
    allowed && (
      <Button
        size="xs"
        variant="light"
        loading={step.isPending && step.variables === action}
        onClick={() => step.mutate(action)}
        data-testid={`allocation-${action}`}
      >
        {t(`stores.actions.${action}`)}
      </Button>
    );
  return (
    <Table.Tr>
      <Table.Td>
        <Badge color={statusColour[allocation.status]} variant="light">
          {t(`stores.allocationStatus.${allocation.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        {t(`stores.recipientKinds.${allocation.recipient.kind}`)}
        <Text size="xs" c="dimmed" dir="ltr">
          {allocation.recipient.id.slice(0, 8)}
        </Text>
      </Table.Td>
      <Table.Td>{allocation.purpose}</Table.Td>
      <Table.Td>
        {allocation.lines.map((line) => {
          const commodity = commodities.data?.get(line.commodity);
          return (
            <Text key={line.id} size="sm">
              {commodity ? localName(commodity) : line.commodity}:{' '}
              {format.quantity(line.quantity, commodity ?? plainUnits)}
              {line.lost_in_transit ? ` (${t('stores.lost')}: ${line.lost_in_transit})` : ''}
            </Text>
          );
        })}
      </Table.Td>
      <Table.Td>
        <Group gap="xs">
          {button('approve', mayApprove && allocation.status === 'draft')}
          {button('dispatch', mayWrite && allocation.status === 'approved')}
          {button('receive', mayWrite && allocation.status === 'dispatched')}
          {button(
            'cancel',
            mayApprove && (allocation.status === 'draft' || allocation.status === 'approved'),
          )}
          {(allocation.status === 'dispatched' || allocation.status === 'received') && (
            <Anchor href={`${apiBase}/allocations/${allocation.id}/waybill`} target="_blank">
              {t('stores.waybill')}
            </Anchor>
          )}
        </Group>
        {step.error ? <ProblemAlert error={step.error} /> : null}
      </Table.Td>
    </Table.Tr>
  );
}

function Allocations({ warehouseId }: { warehouseId: string }) {
  const { t } = useTranslation();
  const allocations = useAllocations(warehouseId, true);
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="sm">
        {t('stores.allocations')}
      </Title>
      <QueryState isPending={allocations.isPending} error={allocations.error}>
        {(allocations.data?.items ?? []).length === 0 ? (
          <Text c="dimmed">{t('stores.noAllocations')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped data-testid="allocations-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('stores.status')}</Table.Th>
                  <Table.Th>{t('stores.recipient')}</Table.Th>
                  <Table.Th>{t('stores.purpose')}</Table.Th>
                  <Table.Th>{t('stores.lines')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(allocations.data?.items ?? []).map((allocation) => (
                  <AllocationRow key={allocation.id} allocation={allocation} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Paper>
  );
}

/** The lot id in a label's QR code (`awn-lot:<id>`), or the text as typed. */
export function lotIdOf(text: string): string {
  const trimmed = text.trim();
  return trimmed.startsWith('awn-lot:') ? trimmed.slice('awn-lot:'.length) : trimmed;
}

function FindLot() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const [text, setText] = useState('');
  const [lotId, setLotId] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const lot = useQuery({
    queryKey: ['lot', lotId],
    queryFn: ({ signal }) =>
      api.get<{ lot: LotView; inspections: unknown[] }>(
        `/lots/${encodeURIComponent(lotId ?? '')}`,
        undefined,
        signal,
      ),
    enabled: Boolean(lotId),
  });
  const found = lot.data?.lot;
  const commodity = found ? commodities.data?.get(found.commodity) : undefined;
  const units = commodity ?? plainUnits;
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="sm">
        {t('stores.findLot')}
      </Title>
      <Group
        align="flex-end"
        component="form"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          setLotId(lotIdOf(text) || null);
        }}
      >
        <TextInput
          label={t('stores.lotId')}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          dir="ltr"
        />
        <Button type="submit" variant="light">
          {t('stores.show')}
        </Button>
        <Button variant="default" onClick={() => setScanning(true)}>
          {t('stores.scan')}
        </Button>
      </Group>
      {scanning && (
        <QrScanner
          onClose={() => setScanning(false)}
          onResult={(scanned) => {
            setScanning(false);
            setText(scanned);
            setLotId(lotIdOf(scanned));
          }}
        />
      )}
      {lot.error ? <ProblemAlert error={lot.error} /> : null}
      {found && (
        <Stack gap={4} mt="sm" data-testid="found-lot">
          <Text fw={700} dir="ltr">
            {found.number}
          </Text>
          <Text>
            {commodity ? localName(commodity) : found.commodity} —{' '}
            <Badge color={statusColour[found.status]} variant="light">
              {t(`stores.lotStatus.${found.status}`)}
            </Badge>
          </Text>
          <Text size="sm">
            {(['quarantined', 'available', 'allocated', 'in_transit', 'rejected'] as const)
              .map(
                (state) =>
                  `${t(`stores.states.${state}`)}: ${format.quantity(found.in_warehouse[state], units)}`,
              )
              .join(' · ')}
          </Text>
        </Stack>
      )}
    </Paper>
  );
}

interface PipelineRow {
  commodity: string;
  [step: string]: number | string;
}

const pipelineSteps = [
  'donated',
  'awaiting_inspection',
  'passed_inspection',
  'rejected',
  'released',
  'allocated',
  'dispatched',
  'received_by_recipients',
  'lost_in_transit',
  'issued_to_volunteers',
  'handed_to_households',
] as const;

function Pipeline() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const pipeline = useQuery({
    queryKey: ['pipeline'],
    queryFn: ({ signal }) =>
      api.get<{ items: PipelineRow[] }>('/stock/pipeline', undefined, signal),
  });
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="sm">
        {t('stores.pipeline')}
      </Title>
      <QueryState isPending={pipeline.isPending} error={pipeline.error}>
        <Table.ScrollContainer minWidth={900}>
          <Table striped data-testid="pipeline-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('entitlements.commodity')}</Table.Th>
                {pipelineSteps.map((step) => (
                  <Table.Th key={step}>{t(`stores.steps.${step}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(pipeline.data?.items ?? []).map((row) => {
                const commodity = commodities.data?.get(row.commodity);
                return (
                  <Table.Tr key={row.commodity}>
                    <Table.Td>{commodity ? localName(commodity) : row.commodity}</Table.Td>
                    {pipelineSteps.map((step) => (
                      <Table.Td key={step} className="numeric">
                        {format.quantity(Number(row[step] ?? 0), commodity ?? plainUnits)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </QueryState>
    </Paper>
  );
}

function Counts({ warehouseId }: { warehouseId: string }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const commodities = useCommodities();
  const mayCount = useCan('counts.write');
  const lots = useLots({ warehouse_id: warehouseId });
  const counts = useQuery({
    queryKey: ['counts', warehouseId],
    queryFn: ({ signal }) =>
      api.get<{ items: StockCountView[] }>(
        `/warehouses/${encodeURIComponent(warehouseId)}/counts`,
        undefined,
        signal,
      ),
  });
  const [countId, setCountId] = useState(newId);
  const [counted, setCounted] = useState<Record<string, string>>({});
  const submit = useStoreWrite((body: object) =>
    api.post(`/warehouses/${encodeURIComponent(warehouseId)}/counts`, body),
  );
  const approve = useStoreWrite((id: string) =>
    api.post(
      `/warehouses/${encodeURIComponent(warehouseId)}/counts/${encodeURIComponent(id)}/approve`,
    ),
  );
  const onShelf = (lots.data?.items ?? []).filter(
    (lot) =>
      lot.in_warehouse.quarantined +
        lot.in_warehouse.available +
        lot.in_warehouse.allocated +
        lot.in_warehouse.rejected >
      0,
  );
  const lotNumber = new Map((lots.data?.items ?? []).map((lot) => [lot.id, lot.number]));
  const entered = Object.entries(counted).filter(([, value]) => parseDecimal(value) !== null);
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="sm">
        {t('stores.counts')}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('stores.countsHelp')}
      </Text>
      <ProblemAlert error={submit.error ?? approve.error} />
      {mayCount && onShelf.length > 0 && (
        <form
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            submit.mutate(
              {
                id: countId,
                lines: entered.map(([lot_id, value]) => ({
                  lot_id,
                  quantity: parseDecimal(value) ?? 0,
                })),
              },
              {
                onSuccess: () => {
                  setCountId(newId());
                  setCounted({});
                  void counts.refetch();
                },
              },
            );
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            {onShelf.map((lot) => {
              const commodity = commodities.data?.get(lot.commodity);
              return (
                <TextInput
                  key={lot.id}
                  label={`${lot.number} — ${commodity ? localName(commodity) : lot.commodity}`}
                  inputMode="numeric"
                  value={counted[lot.id] ?? ''}
                  onChange={(event) => {
                    const value = event.currentTarget.value;
                    setCounted((current) => ({ ...current, [lot.id]: value }));
                  }}
                />
              );
            })}
          </SimpleGrid>
          <Button type="submit" mt="sm" loading={submit.isPending} disabled={entered.length === 0}>
            {t('stores.submitCount')}
          </Button>
        </form>
      )}
      {(counts.data?.items ?? []).map((count) => (
        <Paper key={count.id} withBorder p="xs" mt="sm">
          <Group justify="space-between">
            <Text size="sm">
              {count.counted_at.slice(0, 16).replace('T', ' ')} —{' '}
              {t(`stores.countStatus.${count.status}`)}
            </Text>
            {mayCount && count.status === 'submitted' && (
              <Button
                size="xs"
                variant="light"
                loading={approve.isPending && approve.variables === count.id}
                onClick={() => approve.mutate(count.id, { onSuccess: () => void counts.refetch() })}
              >
                {t('stores.approveCount')}
              </Button>
            )}
          </Group>
          {count.lines
            .filter((line) => line.difference !== 0)
            .map((line) => (
              <Text key={line.lot_id} size="sm">
                {lotNumber.get(line.lot_id) ?? line.lot_id}: {line.books} → {line.counted} (
                {line.difference > 0 ? '+' : ''}
                {line.difference})
              </Text>
            ))}
        </Paper>
      ))}
    </Paper>
  );
}

function DonorStatement() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const commodities = useCommodities();
  const donors = useDonors(true);
  const [donor, setDonor] = useState<string | null>(null);
  const statement = useQuery({
    queryKey: ['donor-statement', donor],
    queryFn: ({ signal }) =>
      api.get<DonorStatementView>(
        `/donors/${encodeURIComponent(donor ?? '')}/statement`,
        undefined,
        signal,
      ),
    enabled: Boolean(donor),
  });
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="sm">
        {t('stores.statement')}
      </Title>
      <Select
        label={t('stores.donor')}
        searchable
        value={donor}
        onChange={setDonor}
        maw={420}
        data={(donors.data?.items ?? []).map((item) => ({
          value: item.id,
          label: item.name ?? t('stores.donorKinds.anonymous'),
        }))}
      />
      {statement.error ? <ProblemAlert error={statement.error} /> : null}
      {statement.data && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped mt="sm" data-testid="donor-statement">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('stores.receipt')}</Table.Th>
                <Table.Th>{t('stores.lot')}</Table.Th>
                <Table.Th>{t('entitlements.commodity')}</Table.Th>
                <Table.Th>{t('stores.steps.donated')}</Table.Th>
                <Table.Th>{t('stores.steps.released')}</Table.Th>
                <Table.Th>{t('stores.steps.rejected')}</Table.Th>
                <Table.Th>{t('stores.whereItWent')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {statement.data.lines.map((line) => {
                const commodity = commodities.data?.get(line.commodity);
                return (
                  <Table.Tr key={line.lot_id}>
                    <Table.Td dir="ltr">{line.receipt_number}</Table.Td>
                    <Table.Td dir="ltr">{line.lot_number}</Table.Td>
                    <Table.Td>{commodity ? localName(commodity) : line.commodity}</Table.Td>
                    <Table.Td className="numeric">{line.received}</Table.Td>
                    <Table.Td className="numeric">{line.released}</Table.Td>
                    <Table.Td className="numeric">{line.rejected}</Table.Td>
                    <Table.Td>
                      {line.delivered
                        .map(
                          (item) =>
                            `${t(`stores.recipientKinds.${item.recipient_kind}`)}: ${item.quantity}`,
                        )
                        .join('، ')}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

export default function Warehouse() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const warehouses = useWarehouses();
  const mayReceive = useCan('donations.write');
  const mayAllocate = useCan('allocations.write');
  const mayReadAllocations = useCan('allocations.read');
  const mayReadPipeline = useCan('stock.overview');
  const [chosen, setChosen] = useState<string | null>(null);
  const warehouseId = chosen ?? warehouses.data?.items[0]?.id ?? null;
  return (
    <>
      <PageHeader title={t('menu.warehouse')} />
      <QueryState isPending={warehouses.isPending} error={warehouses.error}>
        {(warehouses.data?.items ?? []).length === 0 ? (
          <Text c="dimmed">{t('stores.noWarehouses')}</Text>
        ) : (
          <Select
            label={t('stores.warehouse')}
            value={warehouseId}
            onChange={setChosen}
            maw={420}
            data={(warehouses.data?.items ?? []).map((item) => ({
              value: item.id,
              label: localName(item),
            }))}
          />
        )}
        {warehouseId && (
          <>
            <FindLot />
            <Lots warehouseId={warehouseId} />
            {mayReceive && <ReceiveDonation warehouseId={warehouseId} />}
            {mayReadAllocations && <Allocations warehouseId={warehouseId} />}
            {mayAllocate && <NewAllocation warehouseId={warehouseId} />}
            {mayReadPipeline && <Counts warehouseId={warehouseId} />}
            {mayReadPipeline && <Pipeline />}
            <DonorStatement />
          </>
        )}
      </QueryState>
    </>
  );
}
