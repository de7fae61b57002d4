import { toNodeHandler } from '@licensekit/core/server'
import { licensekitDev } from '@licensekit/core/vite'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin, type PreviewServer, type ViteDevServer } from 'vite'
import { injectClientConfig } from './server/inject-config.js'
import { createPremiumRoutes, PREMIUM_BASE_PATH } from './server/premium-routes.js'
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
    liveEvents: Boolean(
      process.env.ECOSIRE_LICENSE_SECRET && process.env.LICENSEKIT_WEBHOOK_SECRET,
    ),
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
      signingKeys: privateJwk ? [JSON.parse(privateJwk) as JsonWebKey] : undefined,
      webhookSecret: process.env.LICENSEKIT_WEBHOOK_SECRET || undefined,
      log: (line) => console.error(`[proxy] ${line}`),
    }),
  ]
}

/** The app's premium API (`/api/premium`, behind the license guard) on the dev and preview servers. */
function premiumApi(): Plugin[] {
  const publicJwk = process.env.LICENSEKIT_RECEIPT_PUBLIC_JWK
  if (!publicJwk) return []
  const premium = toNodeHandler(
    createPremiumRoutes({
      publicJwk: JSON.parse(publicJwk) as JsonWebKey,
      domain: process.env.LICENSEKIT_DOMAIN || 'localhost',
    }),
  )
  const mount = (server: ViteDevServer | PreviewServer) => {
    // Connect strips the mount path from `req.url`; the handler reads `req.originalUrl`.
    server.middlewares.use(PREMIUM_BASE_PATH, (req, res) => void premium(req, res))
  }
  return [{ name: 'licensekit-premium', configureServer: mount, configurePreviewServer: mount }]
}

export default defineConfig({
  plugins: [react(), licensekitConfig(), ...licensekitProxy(), ...premiumApi()],
  server: {
    port: Number(process.env.LICENSEKIT_APP_PORT) || 5173,
    strictPort: true,
  },
  build: { sourcemap: false },
})
