import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { join } from 'node:path'
import {
  createLicenseProxy,
  generateSigningKeys,
  type NodeHandler,
  type ProxyRequestContext,
  toNodeHandler,
} from '@licensekit/core/server'
import { DEMO_KEY_FORMAT, type DemoClientConfig } from '../src/config.js'
import { injectClientConfig } from './inject-config.js'
import { connectSharedState, type SharedState } from './live-events.js'
import { createPremiumRoutes, PREMIUM_BASE_PATH } from './premium-routes.js'
import { createStaticSite } from './static-files.js'

/** Where the proxy is mounted, in development and production alike. */
export const PROXY_BASE_PATH = '/api/license'

/** Five minutes: how often an open tab re-validates unless told otherwise. */
export const DEFAULT_HEARTBEAT_MS = 5 * 60_000

export interface ReceiptKeys {
  privateJwk: JsonWebKey
  publicJwk: JsonWebKey
}

/** One proxy exchange, reported after the answer is known. */
export interface ProxyExchange {
  method: string
  /** Path under the mount, e.g. `/api/license/validate`. */
  path: string
  status: number
  durationMs: number
}

export interface DemoServerOptions {
  /** Default 0: a free port. */
  port?: number
  /** Default `127.0.0.1`. */
  host?: string
  /** The HMAC secret shared with the license API. Stays in this process. */
  secret: string
  /** The license API base, e.g. `http://127.0.0.1:4010/api`. */
  upstream: string
  /** The domain activations are bound to. */
  domain: string
  /** One slot per site (`'site'`, the default) or per browser profile (`'device'`). */
  binding?: 'site' | 'device'
  /** The token signing key pair; a fresh one is generated when absent. */
  receiptKeys?: ReceiptKeys
  /** Heartbeat interval handed to the browser client (default five minutes). */
  heartbeatIntervalMs?: number
  /** The built app to serve (`vite build` output); `null` serves the proxy alone. */
  distDir: string | null
  /**
   * Origins allowed to call the proxy cross-origin, besides the server's own. Default:
   * `http://localhost:PORT` and `http://127.0.0.1:PORT` of this server.
   */
  allowedOrigins?: readonly string[]
  /** Called after every proxy exchange (request logs, counters in tests). */
  onProxyExchange?: (exchange: ProxyExchange) => void
  /** Operational lines from the proxy (upstream failures); never the secret. */
  log?: (line: string) => void
  /** The proxy's clock in ms since the epoch (default `Date.now`): timestamps, tokens, rate limits. */
  now?: () => number
  /** Turns on the webhook receiver (`POST /api/license/webhook`) and the event stream. */
  webhookSecret?: string
  /** Redis for the event bus and the rate limits (default: memory, this instance only). */
  redisUrl?: string
  /** `false` turns the proxy's rate limits off (benchmarks that send many requests from one address). */
  rateLimit?: false
}

export interface DemoServer {
  /** `http://localhost:PORT`. */
  url: string
  port: number
  /** The configuration injected into `index.html`: public values only. */
  clientConfig: DemoClientConfig
  /** Stops listening and lets in-flight requests finish. Idempotent. */
  close(): Promise<void>
}

function isUnder(base: string, url: string | undefined): boolean {
  const path = (url ?? '/').split('?')[0] ?? '/'
  return path === base || path.startsWith(`${base}/`)
}

/** Event streams never end by themselves: `close()` ends them instead of waiting. */
function isEventStreamPath(url: string | undefined): boolean {
  return (url ?? '/').split('?')[0] === `${PROXY_BASE_PATH}/events`
}

async function readIndexHtml(distDir: string): Promise<string> {
  try {
    return await readFile(join(distDir, 'index.html'), 'utf8')
  } catch (cause) {
    throw new Error(`No built app in ${distDir}: run \`vite build\` first`, { cause })
  }
}

/**
 * The demo's production server: the built app with a fallback to `index.html` for client-side
 * routes, the license proxy at `/api/license` and the premium API at `/api/premium` (behind
 * the license guard), on one port. The browser's configuration
 * (receipt public key, heartbeat, domain) is written into `index.html`; the secret and the
 * receipt private key stay here.
 */
export async function createDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const receiptKeys = options.receiptKeys ?? (await generateSigningKeys())
  const clientConfig: DemoClientConfig = {
    endpoint: PROXY_BASE_PATH,
    domain: options.domain,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS,
    receiptPublicJwk: receiptKeys.publicJwk,
    liveEvents: Boolean(options.webhookSecret || options.redisUrl),
    binding: options.binding ?? 'site',
  }
  const serveStatic =
    options.distDir === null
      ? null
      : createStaticSite({
          root: options.distDir,
          indexHtml: injectClientConfig(await readIndexHtml(options.distDir), clientConfig),
        })

  let proxy: NodeHandler | null = null
  const premium = toNodeHandler(
    createPremiumRoutes({
      publicJwk: receiptKeys.publicJwk,
      domain: options.domain,
      ...(options.now ? { now: options.now } : {}),
    }),
  )
  const streams = new Set<Socket>()
  const server = createServer((req, res) => {
    if (proxy && isUnder(PROXY_BASE_PATH, req.url)) {
      if (isEventStreamPath(req.url)) {
        streams.add(req.socket)
        res.on('close', () => streams.delete(req.socket))
      }
      void proxy(req, res)
    } else if (isUnder(PREMIUM_BASE_PATH, req.url)) {
      void premium(req, res)
    } else if (serveStatic) {
      serveStatic(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500)
        res.end()
      })
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('Not found')
    }
  })

  const host = options.host ?? '127.0.0.1'
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })

  let shared: SharedState | null = null
  try {
    shared = options.redisUrl
      ? await connectSharedState(options.redisUrl, options.log ?? (() => {}))
      : null
    const handler = createLicenseProxy({
      secret: options.secret,
      domain: options.domain,
      binding: clientConfig.binding,
      keyFormat: DEMO_KEY_FORMAT,
      upstream: options.upstream,
      basePath: PROXY_BASE_PATH,
      allowedOrigins: options.allowedOrigins ?? [
        `http://localhost:${port}`,
        `http://127.0.0.1:${port}`,
      ],
      signingKeys: [receiptKeys.privateJwk],
      ...(options.log ? { log: options.log } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
      ...(shared ? { eventBus: shared.eventBus, rateLimit: { store: shared.rateLimitStore } } : {}),
      ...(options.rateLimit === false ? { rateLimit: false } : {}),
    })
    const observe = options.onProxyExchange
    proxy = toNodeHandler(
      observe
        ? async (request: Request, context?: ProxyRequestContext) => {
            const started = performance.now()
            const response = await handler(request, context)
            observe({
              method: request.method,
              path: new URL(request.url).pathname,
              status: response.status,
              durationMs: performance.now() - started,
            })
            return response
          }
        : handler,
    )
  } catch (error) {
    server.close()
    await shared?.close()
    throw error
  }

  let closing: Promise<void> | null = null
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeIdleConnections()
      for (const socket of streams) socket.destroy()
    }).then(() => shared?.close())
    return closing
  }

  return { url: `http://localhost:${port}`, port, clientConfig, close }
}
