/** Choose an area by typing part of its name (Arabic or English) or its p-code. */
import { Select, type SelectProps } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Area, Page } from '../api/types';
import { useDebounced } from '../lib/debounce';
import { useLocalName } from '../lib/names';

interface Props extends Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue'> {
  value: string | null;
  onChange: (pcode: string | null) => void;
  /** Only areas of these levels may be chosen. */
  levels?: readonly string[];
}

export function AreaSelect({ value, onChange, levels, ...props }: Props) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [search, setSearch] = useState('');
  const chosenLabel = useMemo(() => ({ current: '' }), []);
  // Once an area is chosen the box shows its label: that is not a search.
  const typed = search === chosenLabel.current ? '' : search.trim().slice(0, 100);
  const query = useDebounced(typed, 200);

  const found = useQuery({
    queryKey: ['areas', 'search', query],
    queryFn: ({ signal }) =>
      api.get<Page<Area>>(
        '/areas',
        query ? { q: query, limit: 50 } : { limit: 50, level: levels?.[0] },
        signal,
      ),
    staleTime: 5 * 60_000,
  });
  const chosen = useQuery({
    queryKey: ['areas', value],
    queryFn: ({ signal }) =>
      api.get<Area>(`/areas/${encodeURIComponent(value ?? '')}`, undefined, signal),
    enabled: Boolean(value),
    staleTime: 5 * 60_000,
  });

  const data = useMemo(() => {
    const items = [...(found.data?.items ?? [])].filter(
      (area) => !levels || levels.includes(area.level),
    );
    if (chosen.data && !items.some((area) => area.pcode === chosen.data.pcode))
      items.unshift(chosen.data);
    const options = items.map((area) => ({
      value: area.pcode,
      label: `${localName(area)} (${t(`areaLevels.${area.level}`, { defaultValue: area.level })} ${area.pcode})`,
    }));
    chosenLabel.current = options.find((option) => option.value === value)?.label ?? '';
    return options;
  }, [found.data, chosen.data, levels, localName, t, value, chosenLabel]);

  return (
    <Select
      {...props}
      searchable
      clearable
      data={data}
      value={value}
      onChange={(next) => onChange(next)}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('app.loading') : t('common.noResults')}
    />
  );
}
