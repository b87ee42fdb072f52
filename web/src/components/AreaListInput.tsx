/** A list of areas chosen one at a time (a cycle's or a rule's areas). */
import { Button, Group, Input } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AreaSelect } from './AreaSelect';

export function AreaListInput({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string[];
  onChange: (pcodes: string[]) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const [next, setNext] = useState<string | null>(null);
  return (
    <Input.Wrapper label={label} error={error}>
      <Group align="flex-end" wrap="nowrap">
        <AreaSelect aria-label={label} value={next} onChange={setNext} style={{ flex: 1 }} />
        <Button
          variant="light"
          disabled={!next}
          onClick={() => {
            if (next && !value.includes(next)) onChange([...value, next]);
            setNext(null);
          }}
        >
          {t('common.add')}
        </Button>
      </Group>
      <Group gap={4} mt="xs" data-testid="area-list">
        {value.map((pcode) => (
          <Button
            key={pcode}
            size="compact-xs"
            variant="outline"
            aria-label={t('common.removeItem', { item: pcode })}
            onClick={() => onChange(value.filter((other) => other !== pcode))}
          >
            {pcode} ×
          </Button>
        ))}
      </Group>
    </Input.Wrapper>
  );
}
