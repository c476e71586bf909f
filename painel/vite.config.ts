import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The painel is served by Ponte at /painel/ (see painelUi in src/app.ts); in `npm run dev:painel`
// Vite serves it and forwards the API to a Ponte running on :3000 (`npm start`).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/painel/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { '/painel/api': 'http://localhost:3000' },
  },
});
