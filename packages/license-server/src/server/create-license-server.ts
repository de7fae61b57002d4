import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { LicenseError } from '@licensekit/core'
import {
  MIN_SECRET_BYTES,
  type PlainAnswer,
  type PlainRequest,
  toFetchHandler,
  toNodeHandler,
} from '@licensekit/core/server'
import { createApi, INTERNAL_ERROR, MAX_BODY_BYTES } from '../api/handler.js'
import { openLicenseStore } from '../store/license-store.js'
import type { LicenseStore } from '../store/store-types.js'
import { BufferedLog, formatRequestLine, type RequestLog } from './request-log.js'
import { startWebhookSender, type WebhookSenderOptions } from './webhook-sender.js'

export interface LicenseServerOptions {
  /** SQLite file path, or `':memory:'`. Created and migrated when needed. */
  db: string
  /** The HMAC secret shared with the signers; at least 16 bytes. */
  secret: string
  /** Clock in milliseconds since the epoch (default `Date.now`): expiry and the timestamp window. */
  now?: (() => number) | undefined
  /**
   * Called with one line per request and per failed webhook delivery; `false` for none. Default:
   * stderr, buffered (written at most a second after the line, and when the server closes).
   */
  log?: RequestLog | undefined
  /**
   * Sends every license change (made through the API or by the CLI from another process) to
   * `url`, signed with `secret` (at least 16 bytes), in order, retried until delivered.
   */
  webhook?: Omit<WebhookSenderOptions, 'outbox' | 'log'> | undefined
}

export interface ListenOptions {
  /** Default 0: a free port. */
  port?: number | undefined
  /** Default `127.0.0.1`. */
  host?: string | undefined
}

export interface ListeningAddress {
  port: number
  /** `http://127.0.0.1:PORT` (a wildcard host is reported as loopback). */
  origin: string
  /** `${origin}/api`, the base the proxy's `upstream` option takes. */
  apiBase: string
}

export interface LicenseServer {
  /** Fetch-style handler for `/api/licenses/*`; every other path answers 404. */
  handler(request: Request): Promise<Response>
  listen(options?: ListenOptions): Promise<ListeningAddress>
  /** Stops listening, lets in-flight requests finish, then closes the database. Idempotent. */
  close(): Promise<void>
  store: LicenseStore
}

function checkSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw new LicenseError(
      'invalid_config',
      `The signing secret must be at least ${MIN_SECRET_BYTES} bytes (set ECOSIRE_LICENSE_SECRET, e.g. to the output of \`openssl rand -hex 32\`)`,
    )
  }
}

function checkWebhook(webhook: LicenseServerOptions['webhook']): void {
  if (webhook === undefined) return
  let protocol = ''
  try {
    protocol = new URL(webhook.url).protocol
  } catch {}
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new LicenseError('invalid_config', `Invalid webhook URL "${webhook.url}"`)
  }
  if (Buffer.byteLength(webhook.secret ?? '', 'utf8') < MIN_SECRET_BYTES) {
    throw new LicenseError(
      'invalid_config',
      `The webhook secret must be at least ${MIN_SECRET_BYTES} bytes (set LICENSEKIT_WEBHOOK_SECRET)`,
    )
  }
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** The local ECOSIRE-compatible license API, as a handler and as an HTTP server. */
export function createLicenseServer(options: LicenseServerOptions): LicenseServer {
  checkSecret(options.secret)
  checkWebhook(options.webhook)
  const now = options.now ?? Date.now
  const store = openLicenseStore(options.db, { now })
  const stderrLog =
    options.log === undefined ? new BufferedLog((chunk) => process.stderr.write(chunk)) : undefined
  const log = stderrLog ? stderrLog.line : options.log
  const api = createApi({ store, secret: options.secret, now })
  const sender =
    options.webhook &&
    startWebhookSender({
      now,
      ...options.webhook,
      outbox: store.outbox,
      log: log || undefined,
    })
  let http: Server | null = null
  let closing: Promise<void> | null = null

  /** Every request, whatever carried it: the API's answer, then the log line and the outbox. */
  async function serve(request: PlainRequest): Promise<PlainAnswer> {
    const started = performance.now()
    let answer: PlainAnswer
    try {
      answer = await api(request)
    } catch {
      answer = INTERNAL_ERROR
    }
    sender?.wake()
    if (log) {
      const { method, pathname } = request
      log(formatRequestLine(method, pathname, answer.status, performance.now() - started))
    }
    if (closing) return { ...answer, headers: { ...answer.headers, connection: 'close' } }
    return answer
  }

  const handler = toFetchHandler(serve, { allow: 'POST' })

  async function listen(listenOptions: ListenOptions = {}): Promise<ListeningAddress> {
    if (http || closing) throw new LicenseError('invalid_config', 'The server is already started')
    const host = listenOptions.host ?? '127.0.0.1'
    const listener = toNodeHandler(handler, { maxBodyBytes: MAX_BODY_BYTES })
    // No per-request `finish` listener: an answer written after `close()` carries
    // `Connection: close` (see `serve`), so node closes its socket once the answer is sent.
    const server = createServer((req, res) => {
      void listener(req, res)
    })
    http = server
    let port: number
    try {
      port = await listenOn(server, listenOptions.port ?? 0, host)
    } catch (error) {
      http = null
      throw error
    }
    const origin = `http://${displayHost(host)}:${port}`
    return { port, origin, apiBase: `${origin}/api` }
  }

  async function shutDown(): Promise<void> {
    const server = http
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
    }
    await sender?.stop()
    store.close()
    stderrLog?.close()
  }

  function close(): Promise<void> {
    closing ??= shutDown()
    return closing
  }

  return { handler, listen, close, store }
}
