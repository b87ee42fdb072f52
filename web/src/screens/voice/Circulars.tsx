/** Circulars: the composer with a preview of both versions, publishing, and live reach. */
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { smsLength } from '../../../../src/domain/messaging/text.js';
import { useOrgUnits } from '../../api/admin';
import { useCirculars, useCreateCircular, usePublish, useReach, useRemind } from '../../api/voice';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { useCan } from '../../lib/use-can';

const emptyDraft = { title: '', body: '', from: '', ack: true, publicBody: '', areas: '' };

function Reach({ id }: { id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const reach = useReach(id);
  const remind = useRemind();
  const mayWrite = useCan('circulars.write');
  const minutes = (ms: number | null) =>
    ms === null ? '—' : format.number(Math.round(ms / 60_000));
  return (
    <QueryState isPending={reach.isPending} error={reach.error}>
      {reach.data && (
        <>
          <Group>
            <Text data-testid="reach-summary">
              {t('voice.reachSummary', {
                acknowledged: format.number(reach.data.acknowledged),
                members: format.number(reach.data.members),
              })}
            </Text>
            {mayWrite && (
              <Button
                size="xs"
                variant="light"
                loading={remind.isPending}
                onClick={() => remind.mutate(id)}
              >
                {t('voice.remind')}
              </Button>
            )}
          </Group>
          <Table striped aria-label={t('voice.levels')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('voice.level')}</Table.Th>
                <Table.Th>{t('voice.units')}</Table.Th>
                <Table.Th>{t('voice.members')}</Table.Th>
                <Table.Th>{t('voice.acknowledged')}</Table.Th>
                <Table.Th>{t('voice.medianMinutes')}</Table.Th>
                <Table.Th>{t('voice.p90Minutes')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reach.data.levels.map((level) => (
                <Table.Tr key={level.level}>
                  <Table.Td>{format.number(level.level)}</Table.Td>
                  <Table.Td>{format.number(level.units)}</Table.Td>
                  <Table.Td>{format.number(level.members)}</Table.Td>
                  <Table.Td>
                    <Badge
                      color={
                        level.acknowledged === level.members
                          ? 'teal'
                          : level.acknowledged === 0
                            ? 'red'
                            : 'yellow'
                      }
                      variant="light"
                    >
                      {format.number(level.acknowledged)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{minutes(level.median_ack_ms)}</Table.Td>
                  <Table.Td>{minutes(level.p90_ack_ms)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm">
            {t('voice.publicStates', {
              queued: format.number(reach.data.public.queued),
              sent: format.number(reach.data.public.sent),
              delivered: format.number(reach.data.public.delivered),
              failed: format.number(reach.data.public.failed),
            })}
          </Text>
        </>
      )}
    </QueryState>
  );
}

export default function Circulars() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const mayWrite = useCan('circulars.write');
  const circulars = useCirculars();
  const units = useOrgUnits(useCan('orgUnits.read'));
  const create = useCreateCircular();
  const publish = usePublish();
  const [draft, setDraft] = useState(emptyDraft);
  const [selected, setSelected] = useState<string | null>(null);
  const publicSms = smsLength(draft.publicBody);
  return (
    <>
      <PageHeader title={t('menu.circulars')} />
      {mayWrite && (
        <CreatePanel
          title={t('voice.compose')}
          pending={create.isPending}
          onSubmit={() =>
            settled((callbacks) =>
              create.mutate(
                {
                  title: draft.title,
                  body: draft.body,
                  from_org_unit_id: draft.from,
                  ack_required: draft.ack,
                  ...(draft.publicBody.trim()
                    ? {
                        public: {
                          body: draft.publicBody,
                          area_pcodes: draft.areas.split(/[\s,،]+/u).filter((code) => code !== ''),
                        },
                      }
                    : {}),
                },
                {
                  onSuccess: () => {
                    setDraft(emptyDraft);
                    callbacks.onSuccess();
                  },
                  onError: callbacks.onError,
                },
              ),
            )
          }
        >
          <ProblemAlert error={create.error} />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TextInput
              label={t('voice.title')}
              required
              value={draft.title}
              onChange={(event) => setDraft({ ...draft, title: event.currentTarget.value })}
            />
            <Select
              label={t('voice.fromUnit')}
              required
              searchable
              data={(units.data ?? []).map((unit) => ({ value: unit.id, label: localName(unit) }))}
              value={draft.from || null}
              onChange={(value) => setDraft({ ...draft, from: value ?? '' })}
            />
            <Textarea
              label={t('voice.internalBody')}
              required
              autosize
              minRows={3}
              value={draft.body}
              onChange={(event) => setDraft({ ...draft, body: event.currentTarget.value })}
            />
            <Textarea
              label={t('voice.publicBody')}
              description={t('voice.smsLength', {
                characters: format.number(publicSms.characters),
                segments: format.number(publicSms.segments),
              })}
              autosize
              minRows={3}
              value={draft.publicBody}
              onChange={(event) => setDraft({ ...draft, publicBody: event.currentTarget.value })}
            />
            <Checkbox
              label={t('voice.ackRequired')}
              checked={draft.ack}
              onChange={(event) => setDraft({ ...draft, ack: event.currentTarget.checked })}
            />
            <TextInput
              label={t('voice.publicAreas')}
              dir="ltr"
              value={draft.areas}
              onChange={(event) => setDraft({ ...draft, areas: event.currentTarget.value })}
            />
          </SimpleGrid>
        </CreatePanel>
      )}
      <ProblemAlert error={publish.error} />
      <QueryState isPending={circulars.isPending} error={circulars.error}>
        <Table striped data-testid="circulars" aria-label={t('menu.circulars')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('voice.title')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th>{t('common.date')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(circulars.data ?? []).map((circular) => (
              <Table.Tr key={circular.id}>
                <Table.Td>{circular.title}</Table.Td>
                <Table.Td>{t(`voice.circularStatus.${circular.status}`)}</Table.Td>
                <Table.Td>{format.dateTime(circular.published_at ?? circular.created_at)}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    {circular.status === 'draft' && mayWrite && (
                      <Button
                        size="xs"
                        loading={publish.isPending && publish.variables === circular.id}
                        onClick={() => publish.mutate(circular.id)}
                      >
                        {t('voice.publish')}
                      </Button>
                    )}
                    {circular.status === 'published' && (
                      <Button size="xs" variant="light" onClick={() => setSelected(circular.id)}>
                        {t('voice.reach')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </QueryState>
      {selected && (
        <>
          <Title order={3} size="h4" mt="lg" mb="sm">
            {t('voice.reach')}
          </Title>
          <Reach id={selected} />
        </>
      )}
    </>
  );
}
