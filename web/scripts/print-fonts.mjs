// Copies the Arabic typeface (Noto Sans Arabic, SIL OFL 1.1, from @fontsource) into web/dist/fonts
// under fixed names, so that pages the server renders (card sheets, manifests) load it from
// this server too; the app itself imports the same files through its CSS (hashed under assets/).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The fixed file names, as `src/shared/print-fonts.ts` names them in its @font-face rules. */
export const printFontWeights = [400, 700];

export function printFontsPlugin() {
  return {
    name: 'awn-print-fonts',
    apply: 'build',
    generateBundle() {
      for (const weight of printFontWeights) {
        const source = require.resolve(
          `@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-${weight}-normal.woff2`,
        );
        this.emitFile({
          type: 'asset',
          fileName: `fonts/noto-sans-arabic-${weight}.woff2`,
          source: readFileSync(source),
        });
      }
      this.emitFile({
        type: 'asset',
        fileName: 'fonts/LICENSE.txt',
        source: readFileSync(require.resolve('@fontsource/noto-sans-arabic/LICENSE')),
      });
    },
  };
}
