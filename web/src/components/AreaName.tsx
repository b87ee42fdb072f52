/** An area by its name in the user's language, its p-code beside it, small (areas are reference data). */
import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Area } from '../api/types';
import { useLocalName } from '../lib/names';

export function AreaName({ pcode }: { pcode: string }) {
  const localName = useLocalName();
  const area = useQuery({
    queryKey: ['areas', pcode],
    queryFn: ({ signal }) =>
      api.get<Area>(`/areas/${encodeURIComponent(pcode)}`, undefined, signal),
    staleTime: Infinity,
  });
  return (
    <span>
      {area.data ? localName(area.data) : null}{' '}
      <Text component="bdi" size="xs" c="dimmed" dir="ltr">
        {pcode}
      </Text>
    </span>
  );
}
