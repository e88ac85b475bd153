import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * What the built site may load and run: its own scripts, styles and workers; images it makes
 * itself (data: and blob: URLs of samples); no eval, no plugins, no other origin. zod runs
 * without eval (src/withoutEval.ts) and tfjs needs none.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The policy as a meta tag in the built index.html, where a static host cannot send headers.
 * Build only: the dev server injects inline scripts (React refresh) and inline styles, which the
 * policy refuses. `vite preview` (which the browser tests run) also sends it as a header, so that
 * it covers the training worker as well: a worker does not inherit the page's meta tag.
 */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'ganvas:content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  // Every URL of the built site relative to its page: it works from any folder of any static
  // file server (a project's GitHub Pages, a file share), not only from a server's root.
  base: './',
  plugins: [react(), contentSecurityPolicy()],
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
  preview: { headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
});
