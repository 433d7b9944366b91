import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The browser client; `@shared` is the server's pure game code (engine, protocol, bot brain), `@client` the one typed client (src/client/README.md). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  resolve: {
    alias: {
      '@shared': fileURLToPath(new URL('../src/game', import.meta.url)),
      '@client': fileURLToPath(new URL('../src/client', import.meta.url)),
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsDir: 'assets', reportCompressedSize: false },
  server: { fs: { allow: ['..'] } },
});
