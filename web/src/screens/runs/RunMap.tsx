/**
 * A run on a plain map drawn offline: the source (depot) and the stops at their coordinates,
 * numbered in visiting order with lines between, projected from latitude and longitude onto an
 * SVG (longitude shrunk by the cosine of the latitude). No tiles: it works on a closed network.
 */
import { useTranslation } from 'react-i18next';
import type { RunStop } from '../../api/runs';
import { useFormat } from '../../lib/format';

interface Point {
  latitude: number;
  longitude: number;
}

const size = 480;
const margin = 24;
const stateColours: Record<RunStop['state'], string> = {
  planned: '#1c7ed6',
  reserved: '#1c7ed6',
  delivered: '#2f9e44',
  partial: '#f08c00',
  failed: '#e03131',
  voided: '#868e96',
};

export function RunMap({
  depot,
  stops,
  preview,
}: {
  depot: Point | null;
  stops: RunStop[];
  /** Another visiting order of `stops` (indexes), drawn dashed. */
  preview?: number[] | null;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const located = stops.filter((stop) => stop.latitude !== null && stop.longitude !== null);
  const points: Point[] = [
    ...(depot ? [depot] : []),
    ...located.map((stop) => ({ latitude: stop.latitude!, longitude: stop.longitude! })),
  ];
  if (points.length === 0) return null;
  const scale = Math.cos(((points[0]?.latitude ?? 0) * Math.PI) / 180);
  const xs = points.map((point) => point.longitude * scale);
  const ys = points.map((point) => point.latitude);
  const [minX, maxX, minY, maxY] = [
    Math.min(...xs),
    Math.max(...xs),
    Math.min(...ys),
    Math.max(...ys),
  ];
  const span = Math.max(maxX - minX, maxY - minY, 1e-6);
  const project = (point: Point) => ({
    x: margin + ((point.longitude * scale - minX) / span) * (size - 2 * margin),
    y: size - margin - ((point.latitude - minY) / span) * (size - 2 * margin),
  });
  const at = (stop: RunStop) => project({ latitude: stop.latitude!, longitude: stop.longitude! });
  const path = (order: RunStop[]) =>
    [...(depot ? [project(depot)] : []), ...order.map(at), ...(depot ? [project(depot)] : [])]
      .map((point) => `${point.x.toFixed(1)},${point.y.toFixed(1)}`)
      .join(' ');
  const inOrder = [...located].sort((a, b) => a.sequence - b.sequence);
  const previewStops = preview
    ?.map((index) => stops[index])
    .filter((stop): stop is RunStop => stop !== undefined && stop.latitude !== null);
  return (
    <svg
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={t('runs.map')}
      data-testid="run-map"
      style={{ width: '100%', maxWidth: size, direction: 'ltr', background: '#f8f9fa' }}
    >
      <polyline points={path(inOrder)} fill="none" stroke="#495057" strokeWidth={2} />
      {previewStops && (
        <polyline
          points={path(previewStops)}
          fill="none"
          stroke="#ae3ec9"
          strokeWidth={2}
          strokeDasharray="6 4"
          data-testid="run-map-preview"
        />
      )}
      {depot && (
        <rect
          x={project(depot).x - 7}
          y={project(depot).y - 7}
          width={14}
          height={14}
          fill="#212529"
        >
          <title>{t('runs.depot')}</title>
        </rect>
      )}
      {inOrder.map((stop) => {
        const point = at(stop);
        return (
          <g key={stop.id} data-testid="run-map-stop">
            <circle cx={point.x} cy={point.y} r={9} fill={stateColours[stop.state]} />
            <text
              x={point.x}
              y={point.y + 3.5}
              textAnchor="middle"
              fontSize={10}
              fill="#fff"
              fontFamily="sans-serif"
            >
              {format.number(stop.sequence)}
            </text>
            <title>{t(`runs.stopStates.${stop.state}`)}</title>
          </g>
        );
      })}
    </svg>
  );
}
