import { licensekitDev } from '@licensekit/core/vite'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'
import { injectClientConfig } from './server/inject-config.js'
import { DEMO_KEY_FORMAT, type DemoClientConfig } from './src/config.js'

/** `LICENSEKIT_BINDING=device` gives each browser profile its own slot; default one per site. */
const binding = process.env.LICENSEKIT_BINDING === 'device' ? 'device' : 'site'

/**
 * Development only: writes the browser's configuration into `index.html`, as the production
 * server does with the built page. `pnpm dev` (scripts/dev.mjs) passes the values in the
 * environment.
 */
function licensekitConfig(): Plugin {
  const publicJwk = process.env.LICENSEKIT_RECEIPT_PUBLIC_JWK
  const config: DemoClientConfig = {
    endpoint: '/api/license',
    domain: process.env.LICENSEKIT_DOMAIN || 'localhost',
    heartbeatIntervalMs: Number(process.env.LICENSEKIT_HEARTBEAT_MS) || 5 * 60_000,
    receiptPublicJwk: publicJwk ? (JSON.parse(publicJwk) as JsonWebKey) : null,
    binding,
  }
  return {
    name: 'licensekit-config',
    apply: 'serve',
    transformIndexHtml: (html) => injectClientConfig(html, config),
  }
}

/**
 * The license proxy inside the dev and preview servers, at `/api/license`, when the secret is
 * in the environment (`pnpm dev` puts it there). It stays in this Node process: Vite exposes
 * only `VITE_`-prefixed variables to the browser.
 */
function licensekitProxy(): Plugin[] {
  const secret = process.env.ECOSIRE_LICENSE_SECRET
  if (!secret) return []
  const privateJwk = process.env.LICENSEKIT_RECEIPT_PRIVATE_JWK
  return [
    licensekitDev({
      secret,
      domain: process.env.LICENSEKIT_DOMAIN || 'localhost',
      binding,
      keyFormat: DEMO_KEY_FORMAT,
      upstream: process.env.LICENSEKIT_UPSTREAM,
      receiptPrivateKey: privateJwk ? (JSON.parse(privateJwk) as JsonWebKey) : undefined,
      webhookSecret: process.env.LICENSEKIT_WEBHOOK_SECRET || undefined,
      log: (line) => console.error(`[proxy] ${line}`),
    }),
  ]
}

export default defineConfig({
  plugins: [react(), licensekitConfig(), ...licensekitProxy()],
  server: {
    port: Number(process.env.LICENSEKIT_APP_PORT) || 5173,
    strictPort: true,
  },
  build: { sourcemap: false },
})
