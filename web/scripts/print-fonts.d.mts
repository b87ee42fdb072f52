import type { Plugin } from 'vite';

export declare const printFontWeights: number[];
export declare function printFontsPlugin(): Plugin;
