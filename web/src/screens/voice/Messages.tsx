/** The message log: every message's channel, state, attempts and last error, and resend. */
import { Badge, Button, Group, Select, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessages, useResend, type MessageView } from '../../api/voice';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useCan } from '../../lib/use-can';

const statusColors: Record<string, string> = {
  queued: 'gray',
  sent: 'blue',
  delivered: 'teal',
  failed: 'red',
};

export function MessageState({ message }: { message: MessageView }) {
  const { t } = useTranslation();
  return (
    <Badge color={message.unconfirmed ? 'yellow' : statusColors[message.status]} variant="light">
      {message.unconfirmed ? t('voice.unconfirmed') : t(`voice.status.${message.status}`)}
    </Badge>
  );
}

export default function Messages() {
  const { t } = useTranslation();
  const format = useFormat();
  const mayResend = useCan('messages.write');
  const [status, setStatus] = useState<string | null>(null);
  const [source, setSource] = useState('');
  const messages = useMessages({
    ...(status ? { status } : {}),
    ...(source.trim() ? { source_kind: source.trim() } : {}),
  });
  const resend = useResend();
  const rows = messages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader title={t('menu.messages')} />
      <Group mb="sm" align="end">
        <Select
          label={t('common.status')}
          clearable
          data={['queued', 'sent', 'delivered', 'failed'].map((value) => ({
            value,
            label: t(`voice.status.${value}`),
          }))}
          value={status}
          onChange={setStatus}
        />
        <TextInput
          label={t('voice.sourceKind')}
          dir="ltr"
          value={source}
          onChange={(event) => setSource(event.currentTarget.value)}
        />
      </Group>
      <ProblemAlert error={resend.error} />
      <QueryState isPending={messages.isPending} error={messages.error}>
        {rows.length === 0 ? (
          <p>{t('common.empty')}</p>
        ) : (
          <Table striped data-testid="message-log" aria-label={t('menu.messages')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('voice.channel')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
                <Table.Th>{t('voice.attempts')}</Table.Th>
                <Table.Th>{t('voice.lastError')}</Table.Th>
                <Table.Th>{t('voice.source')}</Table.Th>
                <Table.Th>{t('voice.updated')}</Table.Th>
                {mayResend && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((message) => (
                <Table.Tr key={message.id}>
                  <Table.Td>{t(`voice.channels.${message.channel}`)}</Table.Td>
                  <Table.Td>
                    <MessageState message={message} />
                  </Table.Td>
                  <Table.Td>{format.number(message.attempts)}</Table.Td>
                  <Table.Td className="ltr-value">{message.last_error ?? ''}</Table.Td>
                  <Table.Td className="ltr-value">{message.source_kind}</Table.Td>
                  <Table.Td>{format.dateTime(message.updated_at)}</Table.Td>
                  {mayResend && (
                    <Table.Td>
                      {message.status !== 'queued' && (
                        <Button
                          size="xs"
                          variant="light"
                          loading={resend.isPending && resend.variables === message.id}
                          onClick={() => resend.mutate(message.id)}
                        >
                          {t('voice.resend')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {messages.hasNextPage && (
          <Button variant="subtle" onClick={() => void messages.fetchNextPage()}>
            {t('common.more')}
          </Button>
        )}
      </QueryState>
    </>
  );
}
