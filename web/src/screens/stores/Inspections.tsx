/** The inspector's screen: the lots waiting for their partner, and an inspection per lot. */
import {
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, newId } from '../../api/client';
import { plainUnits, useCommodities } from '../../api/commodities';
import { useLots, useStoreWrite, type LotView } from '../../api/stores';
import { DateField } from '../../components/DateField';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { parseDecimal } from '../../lib/digits';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';

type Result = 'pass' | 'fail' | 'partial';

function InspectionForm({ lot, onDone }: { lot: LotView; onDone: () => void }) {
  const { t } = useTranslation();
  // One id per intended inspection: a retry after a lost answer records it once.
  const [id] = useState(newId);
  const [result, setResult] = useState<Result>('pass');
  const [passed, setPassed] = useState('');
  const [sample, setSample] = useState('');
  const [method, setMethod] = useState('');
  const [day, setDay] = useState('');
  const [certificate, setCertificate] = useState('');
  const [notes, setNotes] = useState('');
  const inspect = useStoreWrite((body: object) =>
    api.post(`/lots/${encodeURIComponent(lot.id)}/inspections`, body),
  );
  const errors = fieldErrors(t, inspect.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const passedQuantity = parseDecimal(passed);
    const sampleSize = parseDecimal(sample);
    inspect.mutate(
      {
        id,
        result,
        ...(result === 'partial' && passedQuantity !== null
          ? { passed_quantity: passedQuantity }
          : {}),
        ...(sampleSize !== null ? { sample_size: sampleSize } : {}),
        ...(method.trim() && day ? { sterilisation: { method: method.trim(), date: day } } : {}),
        ...(certificate.trim() ? { certificate_ref: certificate.trim() } : {}),
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      },
      { onSuccess: onDone },
    );
  };
  return (
    <Paper
      withBorder
      p="md"
      component="form"
      onSubmit={submit}
      aria-label={t('stores.inspect', { lot: lot.number })}
    >
      <Title order={3} size="h5" mb="sm">
        {t('stores.inspect', { lot: lot.number })}
      </Title>
      <ProblemAlert error={inspect.error} />
      <SimpleGrid cols={{ base: 1, sm: 3 }} mt="xs">
        <Select
          label={t('stores.result')}
          required
          value={result}
          onChange={(value) => setResult((value as Result | null) ?? 'pass')}
          data={(['pass', 'partial', 'fail'] as const).map((value) => ({
            value,
            label: t(`stores.results.${value}`),
          }))}
          data-testid="inspection-result"
        />
        {result === 'partial' && (
          <TextInput
            label={t('stores.passedQuantity')}
            inputMode="numeric"
            required
            value={passed}
            error={errors.passed_quantity}
            onChange={(event) => setPassed(event.currentTarget.value)}
          />
        )}
        <TextInput
          label={t('stores.sampleSize')}
          inputMode="numeric"
          value={sample}
          onChange={(event) => setSample(event.currentTarget.value)}
        />
        <TextInput
          label={t('stores.sterilisationMethod')}
          value={method}
          onChange={(event) => setMethod(event.currentTarget.value)}
        />
        <DateField label={t('stores.sterilisedOn')} value={day} onChange={setDay} />
        <TextInput
          label={t('stores.certificate')}
          value={certificate}
          onChange={(event) => setCertificate(event.currentTarget.value)}
        />
      </SimpleGrid>
      <Textarea
        label={t('stores.notes')}
        mt="xs"
        value={notes}
        onChange={(event) => setNotes(event.currentTarget.value)}
      />
      <Group mt="sm">
        <Button type="submit" loading={inspect.isPending} data-testid="inspection-submit">
          {t('stores.recordInspection')}
        </Button>
      </Group>
    </Paper>
  );
}

export default function Inspections() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const waiting = useLots({ waiting_for_me: 'true' });
  const [open, setOpen] = useState<string | null>(null);
  const lots = waiting.data?.items ?? [];
  const chosen = lots.find((lot) => lot.id === open);
  return (
    <>
      <PageHeader title={t('menu.inspections')} />
      <QueryState isPending={waiting.isPending} error={waiting.error}>
        {lots.length === 0 ? (
          <Text c="dimmed">{t('stores.nothingWaiting')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table striped data-testid="waiting-lots">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('stores.lot')}</Table.Th>
                  <Table.Th>{t('entitlements.commodity')}</Table.Th>
                  <Table.Th>{t('stores.quantity')}</Table.Th>
                  <Table.Th>{t('stores.expiresOn')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lots.map((lot) => {
                  const commodity = commodities.data?.get(lot.commodity);
                  return (
                    <Table.Tr key={lot.id}>
                      <Table.Td dir="ltr">{lot.number}</Table.Td>
                      <Table.Td>{commodity ? localName(commodity) : lot.commodity}</Table.Td>
                      <Table.Td className="numeric">
                        {format.quantity(lot.quantity, commodity ?? plainUnits)}
                      </Table.Td>
                      <Table.Td>{lot.expires_on ?? '—'}</Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="light" onClick={() => setOpen(lot.id)}>
                          {t('stores.inspectButton')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {chosen && <InspectionForm key={chosen.id} lot={chosen} onDone={() => setOpen(null)} />}
    </>
  );
}
