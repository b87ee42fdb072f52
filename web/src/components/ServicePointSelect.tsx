/** Choose one of the service points in the user's scope; the choice is remembered in this browser. */
import { Select, type SelectProps } from '@mantine/core';
import { useEffect } from 'react';
import { useServicePoints } from '../api/admin';
import { useLocalName } from '../lib/names';

const storageKey = 'awn.servicePoint';

export function rememberedServicePoint(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function ServicePointSelect({
  value,
  onChange,
  ...props
}: Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const localName = useLocalName();
  const points = useServicePoints();
  const items = points.data;
  useEffect(() => {
    if (!items) return;
    // One service point only (a clerk's own outlet): choose it without asking.
    if (!value && items.length === 1 && items[0]) onChange(items[0].id);
    // A remembered choice that is no longer in scope is forgotten.
    if (value && !items.some((point) => point.id === value)) onChange(null);
  }, [value, items, onChange]);
  return (
    <Select
      {...props}
      searchable
      data={(items ?? []).map((point) => ({ value: point.id, label: localName(point) }))}
      value={value}
      onChange={(id) => {
        try {
          if (id) localStorage.setItem(storageKey, id);
        } catch {
          // The choice then lasts for this page only.
        }
        onChange(id);
      }}
    />
  );
}
