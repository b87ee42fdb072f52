import type { Plugin } from 'vite';

export declare const initialBudget_bytes: number;
export declare function bundleSizePlugin(): Plugin;
