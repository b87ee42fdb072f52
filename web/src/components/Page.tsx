/** A screen's title row and the loading / error states every screen shares. */
import { Alert, Center, Group, Loader, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../lib/problems';

export function PageHeader({ title, actions }: { title: string; actions?: ReactNode }) {
  return (
    <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
      <Title order={2}>{title}</Title>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <Center py="lg" role="status" data-loading>
      <Loader size="sm" aria-label={t('app.loading')} />
    </Center>
  );
}

/** A red alert saying what went wrong in plain words; nothing when there is no error. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title={title} data-testid="problem">
      {problemMessage(t, error)}
    </Alert>
  );
}

/** Renders loading, the error, or the children once data is there. */
export function QueryState({
  isPending,
  error,
  children,
}: {
  isPending: boolean;
  error: unknown;
  children: ReactNode;
}) {
  if (error) return <ProblemAlert error={error} />;
  if (isPending) return <Loading />;
  return <Stack gap="md">{children}</Stack>;
}
