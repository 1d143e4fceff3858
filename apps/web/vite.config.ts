import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { tanstackRouter } from '@tanstack/router-plugin/vite';

const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

// The router plugin must run before the React plugin so it can split route files.
export default defineConfig({
  plugins: [
    tanstackRouter({ target: 'react', autoCodeSplitting: true }),
    react(),
    tailwindcss(),
  ],
  server: {
    port: 5173,
    // Keep the browser's Host header (no changeOrigin) so the API's same-origin CSRF check passes.
    proxy: {
      '/api': { target: api },
      '/health': { target: api },
      '/ready': { target: api },
    },
  },
  preview: {
    port: 4173,
    proxy: {
      '/api': { target: api },
      '/health': { target: api },
      '/ready': { target: api },
    },
  },
  build: { outDir: 'dist', sourcemap: true },
});
