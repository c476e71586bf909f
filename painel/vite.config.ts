import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The painel is served by Ponte at /painel/ (see painelUi in src/app.ts); in `npm run dev:painel`
// Vite serves it and forwards the API to a Ponte running on :3000 (`npm start`). The beneficiary
// demo app is a second page of the same build (`demo.html`), served by Ponte at /demo; in dev it is
// /painel/demo.html.
export default defineConfig({
  root,
  base: '/painel/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: { painel: `${root}index.html`, demo: `${root}demo.html` },
    },
  },
  server: {
    port: 5173,
    proxy: { '/painel/api': 'http://localhost:3000', '/app/v1': 'http://localhost:3000' },
  },
});
