import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'
import { injectClientConfig } from './server/inject-config.js'
import type { DemoClientConfig } from './src/config.js'

/**
 * Development only: writes the browser's configuration into `index.html`, as the production
 * server does with the built page. `pnpm dev` (scripts/dev.mjs) passes the public values in the
 * environment; the secret is not in this process's environment at all.
 */
function licensekitConfig(): Plugin {
  const publicJwk = process.env.LICENSEKIT_RECEIPT_PUBLIC_JWK
  const config: DemoClientConfig = {
    endpoint: '/api/license',
    domain: process.env.LICENSEKIT_DOMAIN || 'localhost',
    heartbeatIntervalMs: Number(process.env.LICENSEKIT_HEARTBEAT_MS) || 5 * 60_000,
    receiptPublicJwk: publicJwk ? (JSON.parse(publicJwk) as JsonWebKey) : null,
  }
  return {
    name: 'licensekit-config',
    apply: 'serve',
    transformIndexHtml: (html) => injectClientConfig(html, config),
  }
}

export default defineConfig({
  plugins: [react(), licensekitConfig()],
  server: {
    port: Number(process.env.LICENSEKIT_APP_PORT) || 5173,
    strictPort: true,
    proxy: {
      '/api/license': {
        target: process.env.LICENSEKIT_PROXY_TARGET || 'http://127.0.0.1:4020',
      },
      '/api/premium': {
        target: process.env.LICENSEKIT_PROXY_TARGET || 'http://127.0.0.1:4020',
      },
    },
  },
  build: { sourcemap: false },
})
