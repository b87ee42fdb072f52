/**
 * The Arabic typeface of pages the server renders for print (card sheets, manifests): Noto Sans
 * Arabic, shipped with the web app (web/scripts/print-fonts.mjs copies it to web/dist/fonts), so
 * it prints the same on a machine without Arabic fonts and without a network.
 */
export const printFontFamily = "'Noto Sans Arabic', 'Noto Naskh Arabic', Tahoma, sans-serif";

export const printFontFaces = [400, 700]
  .map(
    (weight) =>
      `@font-face { font-family: 'Noto Sans Arabic'; font-style: normal; font-weight: ${weight}; font-display: swap; src: url(/fonts/noto-sans-arabic-${weight}.woff2) format('woff2'); }`,
  )
  .join('\n');
