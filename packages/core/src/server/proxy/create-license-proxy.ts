import { isLicenseError } from '../../errors/license-error.js'
import { LICENSE_ACTIONS, type LicenseAction } from '../../protocol.js'
import { resolveLiveEvents, routeLiveEvents } from '../events/live-events.js'
import { type ActionContext, type ProxyHooks, runHook } from './action-context.js'
import { perform } from './actions.js'
import { clientAddressOf } from './client-address.js'
import { type CorsDecision, corsFor, PREFLIGHT_HEADERS } from './cors.js'
import { registerStateReader } from './license-state.js'
import {
  type LicenseProxyOptions,
  type ProxyRequestContext,
  type ResolvedProxyOptions,
  resolveProxyOptions,
} from './options.js'
import { plainRequestOf, toFetchHandler } from './plain-fetch.js'
import type { PlainAnswer, PlainHandler, PlainRequest } from './plain-http.js'
import { type RateLimitRule, type RateLimitStore, resolveRateLimit } from './rate-limit.js'
import { rateLimitHeaders } from './rate-limit-headers.js'
import { readPlainText } from './read-body.js'
import { baseHeaders, failureAnswer, jsonAnswer, ProxyRejection, reject } from './responses.js'
import { createTokenIssuer, type TokenIssuer } from './tokens.js'
import { checkContentType, parseProxyBody } from './validate-request.js'

/**
 * A fetch-standard handler; `basePath` lets `toNodeHandler` pass other paths on to `next`, and
 * `plain` is the same proxy on plain requests and answers, which `toNodeHandler` calls.
 */
export interface LicenseProxyHandler {
  (request: Request, context?: ProxyRequestContext): Promise<Response>
  readonly basePath: string
  /** `POST, OPTIONS`: what a 405 lists in `Allow`. */
  readonly allow: string
  readonly plain: PlainHandler
}

const ALLOW = 'POST, OPTIONS'
const JWKS_ALLOW = 'GET, HEAD, OPTIONS'

const BODY_CONSUMED_LOG =
  'licensekit proxy: the request body was already read by another middleware (a body parser) and no raw bytes were kept; mount the proxy before body parsers'

function endpointOf(request: PlainRequest, basePath: string): string {
  const { pathname } = request
  const prefix = `${basePath}/`
  return pathname.startsWith(prefix) ? pathname.slice(prefix.length) : ''
}

function actionOf(endpoint: string): LicenseAction {
  const known = LICENSE_ACTIONS.find((candidate) => candidate === endpoint)
  if (!known) {
    throw reject('bad_request', 'Unknown license endpoint', { status: 404 })
  }
  return known
}

function preflight(cors: CorsDecision, request: PlainRequest, allow = ALLOW): PlainAnswer {
  if (request.header('origin') !== null && !cors.allowed) {
    throw reject('forbidden_origin', 'This origin may not call the license proxy')
  }
  const headers = baseHeaders({ allow, ...cors.headers })
  if (cors.headers['access-control-allow-origin']) Object.assign(headers, PREFLIGHT_HEADERS)
  return { status: 204, headers, body: null }
}

async function limit(
  context: ActionContext,
  store: RateLimitStore,
  rule: RateLimitRule,
  policy: 'client' | 'key',
  bucket: string,
): Promise<void> {
  const decision = await runHook(context, 'rateLimit.store.take', () =>
    store.take(`${policy}:${bucket}`, rule, context.options.now()),
  )
  if (!decision.allowed) {
    const retryAfter = Math.max(1, Math.ceil(decision.retryAfterSeconds))
    throw reject('rate_limited', 'Too many requests; try again later', {
      retryAfter,
      headers: rateLimitHeaders(policy, rule, retryAfter),
    })
  }
}

async function authorized(
  context: ActionContext,
  authorize: NonNullable<ProxyHooks['authorize']>,
  action: LicenseAction,
): Promise<void> {
  const allowed = await runHook(context, 'authorize', () =>
    authorize(context.request.toRequest(), action),
  )
  if (allowed !== true) throw reject('forbidden', 'You may not change this license')
}

/**
 * The backend proxy: holds the secret, binds the domain, signs and forwards
 * `POST {basePath}/validate|activate|deactivate` to the license API. Checks, in order and
 * all before any upstream call: rate limit per client (every request counts), path, method,
 * Origin, content type,
 * body size, body shape, key format, rate limit per key, `authorize`.
 *
 * Throws `LicenseError('invalid_config')` for unusable options (a secret under 16 bytes, a
 * domain that cannot be signed, a malformed signing key, …).
 */
export function createLicenseProxy(options: LicenseProxyOptions): LicenseProxyHandler {
  const resolved: ResolvedProxyOptions = resolveProxyOptions(options)
  const limiter = resolveRateLimit(options.rateLimit)
  const hooks: ProxyHooks = {
    resolveKey: options.resolveKey,
    onActivate: options.onActivate,
    onDeactivate: options.onDeactivate,
    authorize: options.authorize,
  }
  const installation = hooks.resolveKey !== undefined
  const tokens: TokenIssuer | null = resolved.tokens && createTokenIssuer(resolved.tokens)

  /** `GET {basePath}/jwks`: public keys are public, so any origin may read them. */
  function jwks(request: PlainRequest, cors: CorsDecision): Promise<PlainAnswer> | PlainAnswer {
    if (request.method === 'OPTIONS') return preflight(cors, request, JWKS_ALLOW)
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw reject('method_not_allowed', 'Use GET', { headers: { allow: JWKS_ALLOW } })
    }
    if (!tokens) throw reject('bad_request', 'This proxy signs no tokens', { status: 404 })
    return tokens.jwksAnswer(cors.headers)
  }

  const live = resolveLiveEvents(options, resolved.keyFormat)

  async function route(request: PlainRequest, cors: CorsDecision): Promise<PlainAnswer> {
    const context: ActionContext = { options: resolved, hooks, request, tokens }
    const client = clientAddressOf(request, request.clientAddress, resolved.trustProxy)
    if (limiter?.perClient) await limit(context, limiter.store, limiter.perClient, 'client', client)
    const endpoint = endpointOf(request, resolved.basePath)
    if (endpoint === 'jwks') return jwks(request, cors)
    const answer =
      live && (await routeLiveEvents(live, endpoint, { context, cors, client, installation }))
    if (answer) return answer
    const action = actionOf(endpoint)
    if (request.method === 'OPTIONS') return preflight(cors, request)
    if (request.method !== 'POST') {
      throw reject('method_not_allowed', 'Use POST', { headers: { allow: ALLOW } })
    }
    if (!cors.allowed)
      throw reject('forbidden_origin', 'This origin may not call the license proxy')
    checkContentType(request)
    if (request.bodyConsumed) {
      resolved.log(BODY_CONSUMED_LOG)
      throw reject('body_consumed', 'The license proxy is misconfigured: its body was already read')
    }
    const text = await readPlainText(request)
    const body = parseProxyBody(
      text,
      !installation || action === 'activate',
      resolved.binding === 'device',
    )
    const key = body.key === null ? null : resolved.canonicalKey(body.key)
    if (key !== null && limiter?.perKey)
      await limit(context, limiter.store, limiter.perKey, 'key', key)
    if (hooks.authorize && action !== 'validate') await authorized(context, hooks.authorize, action)
    return jsonAnswer(200, await perform(context, action, key, body.device), cors.headers)
  }

  async function plain(request: PlainRequest): Promise<PlainAnswer> {
    let cors: CorsDecision = { allowed: false, headers: {} }
    try {
      cors = corsFor(request, resolved.allowedOrigins, resolved.sameOrigin)
      return await route(request, cors)
    } catch (error) {
      if (!(error instanceof ProxyRejection)) {
        const what = isLicenseError(error)
          ? `${error.code}: ${error.message}`
          : error instanceof Error
            ? error.name
            : typeof error
        resolved.log(`licensekit proxy: unexpected failure while handling a request (${what})`)
      }
      return failureAnswer(error, cors.headers)
    }
  }

  const handler = toFetchHandler(plain, { basePath: resolved.basePath, allow: ALLOW })

  if (installation) {
    registerStateReader(handler, {
      reader: (request) =>
        perform(
          { options: resolved, hooks, request: plainRequestOf(request), tokens },
          'validate',
          null,
          null,
        ),
      now: resolved.now,
      log: resolved.log,
    })
  }
  return handler as LicenseProxyHandler
}
