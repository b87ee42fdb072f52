import type { Plugin } from 'vite';

export declare function fieldPwaPlugin(): Plugin;
export declare function png(size: number): Buffer;
