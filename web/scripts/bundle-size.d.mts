import type { Plugin } from 'vite';

export declare const budgets: Record<
  'office' | 'field',
  { html: string; initialBudget_bytes: number }
>;
export declare function bundleSizePlugin(): Plugin;
export declare function measureDist(
  distDirectory: string,
): Record<'office' | 'field', { initial_gzipped_bytes: number; files: string[] }>;
