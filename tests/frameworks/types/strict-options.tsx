// Compiled (never run) with exactOptionalPropertyTypes and verbatimModuleSyntax: every optional
// option takes `T | undefined`, as code reading `process.env` or another runtime's bindings passes.
import { createLicenseClient, type LicenseClientOptions, LicenseError } from '@licensekit/core'
import { liveEvents } from '@licensekit/core/live'
import {
  createLicenseGuard,
  createLicenseProxy,
  getLicenseState,
  type LicenseProxyOptions,
  type NodeRequestLike,
  toNodeHandler,
} from '@licensekit/core/server'
import { tokenAccess } from '@licensekit/core/token'
import { licensekitDev } from '@licensekit/core/vite'
import { createLicenseServer, openLicenseStore } from '@licensekit/license-server'
import {
  formatLicenseKeyInput,
  Licensed,
  LicenseProvider,
  useLicenseKeyInput,
} from '@licensekit/react'
import type { ReactElement } from 'react'

declare const text: string | undefined
declare const count: number | undefined
declare const flag: boolean | undefined

interface Probe {
  value?: string
}
// @ts-expect-error proves the flag is on: without `| undefined`, undefined is refused.
const probe: Probe = { value: text }

const proxyOptions: LicenseProxyOptions = {
  secret: 'a-secret-of-at-least-16-bytes',
  domain: 'shop.example.com',
  upstream: text,
  basePath: text,
  publicOrigin: text,
  trustProxy: text,
  timeoutMs: count,
  allowedOrigins: undefined,
  rateLimit: { perClient: undefined, perKey: undefined, store: undefined },
  signingKeys: undefined,
  issuer: text,
  tokenTtlSeconds: count,
  entitlements: undefined,
  fetch: undefined,
  now: undefined,
  log: undefined,
  resolveKey: undefined,
  onActivate: undefined,
  onDeactivate: undefined,
  authorize: undefined,
}
const proxy = createLicenseProxy(proxyOptions)
licensekitDev(proxyOptions)
licensekitDev(proxy)
void getLicenseState(proxy, new Request('https://shop.example.com/'))
void proxy(new Request('https://shop.example.com/api/license/validate'), {
  clientAddress: text,
  bodyConsumed: flag,
})
declare const req: NodeRequestLike
void toNodeHandler(proxy)(
  { ...req, readableEnded: flag, httpVersion: text, socket: undefined },
  { headersSent: flag, writeHead: () => undefined, end: () => undefined },
)

createLicenseGuard({
  keys: 'https://shop.example.com/api/license/jwks',
  domain: 'shop.example.com',
  issuer: text,
  clockToleranceSeconds: count,
  fetch: undefined,
  now: undefined,
  log: undefined,
  cacheSize: count,
})

const clientOptions: LicenseClientOptions = {
  endpoint: '/api/license',
  mode: undefined,
  domain: text,
  graceDays: count,
  heartbeatIntervalMs: count,
  timeoutMs: count,
  receipts: undefined,
  storage: undefined,
  onError: undefined,
  now: undefined,
  fetch: undefined,
  visibility: undefined,
  online: undefined,
  locks: undefined,
  channel: undefined,
  random: undefined,
  binding: undefined,
  events: undefined,
}
const client = createLicenseClient(clientOptions)
createLicenseClient({ ...clientOptions, events: liveEvents({ EventSource: undefined }) })
void tokenAccess(client, { fetch: undefined, now: undefined }).getToken()

const server = createLicenseServer({
  db: ':memory:',
  secret: 'x'.repeat(16),
  now: undefined,
  log: undefined,
})
void server.listen({ port: count, host: text })
openLicenseStore(':memory:', { now: undefined }).issue({
  prefix: 'SHOP',
  limit: 1,
  expiresAt: text,
  features: undefined,
  seats: count,
  count,
})

new LicenseError('invalid_config', 'message', { cause: undefined, retryAfter: count })
formatLicenseKeyInput('shop', 4, { prefix: text, whole: flag })

export function App(): ReactElement {
  const input = useLicenseKeyInput({ initialValue: text, prefix: text, onActivated: undefined })
  return (
    <LicenseProvider endpoint="/api/license" domain={text} graceDays={count}>
      <Licensed fallback={undefined} pending={undefined}>
        <input {...input.inputProps} />
      </Licensed>
    </LicenseProvider>
  )
}

export { probe }
