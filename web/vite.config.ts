/**
 * Builds the web app into web/dist, served by the Awn server: the office app at `/` and the
 * field app (an installable offline PWA for volunteers) at `/field/`.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleSizePlugin } from './scripts/bundle-size.mjs';
import { fieldPwaPlugin } from './scripts/field-pwa.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), bundleSizePlugin(), fieldPwaPlugin()],
  css: { postcss: root },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      input: { office: `${root}index.html`, field: `${root}field/index.html` },
    },
  },
  server: {
    // `npx vite --config web/vite.config.ts` proxies the API to a running `awn serve --port 8090`.
    proxy: { '/api': 'http://127.0.0.1:8090', '/healthz': 'http://127.0.0.1:8090' },
  },
});
