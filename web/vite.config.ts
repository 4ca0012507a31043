/// <reference types="vitest/config" />
// Vite builds the app into the Python package, which serves it; vitest shares this config.
import { defineConfig } from 'vite';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: '../src/postil/api/static',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8790' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
