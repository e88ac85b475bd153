import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  worker: {
    format: 'es',
    // The training worker (tfjs and its backends) gets a folder of its own, apart from the
    // page's assets/: the page's bundle stays free of tfjs, and the split shows.
    rolldownOptions: {
      output: {
        entryFileNames: 'worker/[name]-[hash].js',
        chunkFileNames: 'worker/[name]-[hash].js',
      },
    },
  },
  build: { chunkSizeWarningLimit: 4096 },
  server: { port: 5173 },
});
