/** The signed-in member's inbox: circulars to acknowledge, reminders, notices. */
import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAcknowledge, useInbox, useMarkRead } from '../../api/voice';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';

export default function Inbox() {
  const { t } = useTranslation();
  const format = useFormat();
  const inbox = useInbox();
  const read = useMarkRead();
  const acknowledge = useAcknowledge();
  return (
    <>
      <PageHeader title={t('menu.inbox')} />
      <ProblemAlert error={read.error ?? acknowledge.error} />
      <QueryState isPending={inbox.isPending} error={inbox.error}>
        {(inbox.data ?? []).length === 0 ? (
          <p>{t('common.empty')}</p>
        ) : (
          <Stack data-testid="inbox">
            {(inbox.data ?? []).map((item) => (
              <Card key={item.id} withBorder padding="md">
                <Group justify="space-between">
                  <Text fw={item.read_at ? 400 : 700}>{item.subject ?? t('voice.message')}</Text>
                  <Text size="sm" c="dimmed">
                    {format.dateTime(item.created_at)}
                  </Text>
                </Group>
                <Text mt="xs" style={{ whiteSpace: 'pre-wrap' }}>
                  {item.body}
                </Text>
                <Group mt="sm">
                  {item.source_kind === 'circular' && item.source_id && (
                    <Button
                      size="xs"
                      onClick={() => {
                        acknowledge.mutate(item.source_id ?? '');
                        read.mutate(item.id);
                      }}
                    >
                      {t('voice.acknowledge')}
                    </Button>
                  )}
                  {!item.read_at && (
                    <Button size="xs" variant="subtle" onClick={() => read.mutate(item.id)}>
                      {t('voice.markRead')}
                    </Button>
                  )}
                </Group>
              </Card>
            ))}
          </Stack>
        )}
      </QueryState>
    </>
  );
}
