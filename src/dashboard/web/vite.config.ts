// Builds the dashboard (Preact + uPlot) into dist/web with fixed asset names, served by `clickrate serve`.
// No CDN and no web font: everything the page loads comes from this build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  publicDir: here('public'),
  base: '/',
  logLevel: 'warn',
  // JSX straight through esbuild: no Babel preset needed for a production build.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: here('../../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // TRICKY: no inline assets or module-preload polyfill script: the page's CSP allows only 'self' scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: { entryFileNames: 'assets/app.js', chunkFileNames: 'assets/[name].js', assetFileNames: 'assets/[name][extname]' },
    },
  },
});
