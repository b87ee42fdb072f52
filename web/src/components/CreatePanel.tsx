/**
 * A "new …" button that opens a small form in place; closes when the form says it is done.
 * Given `open` and `onClose`, the caller opens it (to edit a row with the same form).
 */
import { Button, Paper, Stack, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function CreatePanel({
  title,
  onSubmit,
  pending,
  children,
  open: openProp,
  onClose,
}: {
  title: string;
  open?: boolean;
  onClose?: () => void;
  /** Submits; resolves true when saved (the panel closes). */
  onSubmit: () => Promise<boolean>;
  pending: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [openState, setOpenState] = useState(false);
  const controlled = openProp !== undefined;
  const open = controlled ? openProp : openState;
  const setOpen = (value: boolean) => {
    if (!controlled) setOpenState(value);
    else if (!value) onClose?.();
  };
  if (!open) {
    if (controlled) return null;
    return (
      <Button mb="md" onClick={() => setOpen(true)}>
        {title}
      </Button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onSubmit()) setOpen(false);
  };
  return (
    <Paper
      withBorder
      p="md"
      mb="md"
      component="form"
      onSubmit={submit}
      noValidate
      aria-label={title}
    >
      <Title order={3} size="h4" mb="sm">
        {title}
      </Title>
      <Stack gap="sm">
        {children}
        <Button.Group>
          <Button type="submit" loading={pending}>
            {t('common.save')}
          </Button>
          <Button variant="default" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </Button>
        </Button.Group>
      </Stack>
    </Paper>
  );
}

/** Resolves true when the mutation succeeds, false when it fails (its error is then shown). */
export function settled<T>(
  run: (callbacks: { onSuccess: () => void; onError: () => void }) => T,
): Promise<boolean> {
  return new Promise((resolve) => {
    run({ onSuccess: () => resolve(true), onError: () => resolve(false) });
  });
}
