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
import { type RateLimiter, type RateLimitRule, resolveRateLimit } from './rate-limit.js'
import { rateLimitHeaders } from './rate-limit-headers.js'
import { readBody } from './read-body.js'
import { baseHeaders, failureResponse, jsonResponse, ProxyRejection, reject } from './responses.js'
import { createTokenIssuer, type TokenIssuer } from './tokens.js'
import { canonicalKey, checkContentType, parseProxyBody } from './validate-request.js'

/** A fetch-standard handler; `basePath` lets `toNodeHandler` pass other paths on to `next`. */
export interface LicenseProxyHandler {
  (request: Request, context?: ProxyRequestContext): Promise<Response>
  readonly basePath: string
  /** `POST, OPTIONS`: what a 405 lists in `Allow`. */
  readonly allow: string
}

const ALLOW = 'POST, OPTIONS'
const JWKS_ALLOW = 'GET, HEAD, OPTIONS'

const BODY_CONSUMED_LOG =
  'licensekit proxy: the request body was already read by another middleware (a body parser) and no raw bytes were kept; mount the proxy before body parsers'

function endpointOf(request: Request, basePath: string): string {
  const { pathname } = new URL(request.url)
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

function preflight(cors: CorsDecision, request: Request, allow = ALLOW): Response {
  if (request.headers.get('origin') !== null && !cors.allowed) {
    throw reject('forbidden_origin', 'This origin may not call the license proxy')
  }
  const headers = baseHeaders({ allow, ...cors.headers })
  if (cors.headers['access-control-allow-origin']) {
    for (const [name, value] of Object.entries(PREFLIGHT_HEADERS)) headers.set(name, value)
  }
  return new Response(null, { status: 204, headers })
}

async function limit(
  context: ActionContext,
  limiter: RateLimiter | null,
  rule: RateLimitRule | null | undefined,
  policy: 'client' | 'key',
  bucket: string,
): Promise<void> {
  if (!limiter || !rule) return
  const decision = await runHook(context, 'rateLimit.store.take', () =>
    limiter.store.take(`${policy}:${bucket}`, rule, context.options.now()),
  )
  if (!decision.allowed) {
    const retryAfter = Math.max(1, Math.ceil(decision.retryAfterSeconds))
    throw reject('rate_limited', 'Too many requests; try again later', {
      retryAfter,
      headers: rateLimitHeaders(policy, rule, retryAfter),
    })
  }
}

async function authorized(context: ActionContext, action: LicenseAction): Promise<void> {
  const { authorize } = context.hooks
  if (!authorize || action === 'validate') return
  const allowed = await runHook(context, 'authorize', () => authorize(context.request, action))
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
  function jwks(request: Request, cors: CorsDecision): Promise<Response> | Response {
    if (request.method === 'OPTIONS') return preflight(cors, request, JWKS_ALLOW)
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw reject('method_not_allowed', 'Use GET', { headers: { allow: JWKS_ALLOW } })
    }
    if (!tokens) throw reject('bad_request', 'This proxy signs no tokens', { status: 404 })
    return tokens.jwksResponse(cors.headers)
  }

  const live = resolveLiveEvents(options, resolved.keyFormat)

  async function route(
    request: Request,
    requestContext: ProxyRequestContext,
    cors: CorsDecision,
  ): Promise<Response> {
    const context: ActionContext = { options: resolved, hooks, request, tokens }
    const client = clientAddressOf(request, requestContext.clientAddress, resolved.trustProxy)
    await limit(context, limiter, limiter?.perClient, 'client', client)
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
    if (requestContext.bodyConsumed === true || request.bodyUsed) {
      resolved.log(BODY_CONSUMED_LOG)
      throw reject('body_consumed', 'The license proxy is misconfigured: its body was already read')
    }
    const text = await readBody(request)
    const body = parseProxyBody(
      text,
      !installation || action === 'activate',
      resolved.binding === 'device',
    )
    const key = body.key === null ? null : canonicalKey(body.key, resolved.keyFormat)
    if (key !== null) await limit(context, limiter, limiter?.perKey, 'key', key)
    await authorized(context, action)
    return jsonResponse(200, await perform(context, action, key, body.device), cors.headers)
  }

  async function handler(
    request: Request,
    requestContext: ProxyRequestContext = {},
  ): Promise<Response> {
    let cors: CorsDecision = { allowed: false, headers: {} }
    try {
      cors = corsFor(request, resolved.allowedOrigins, resolved.sameOrigin)
      return await route(request, requestContext, cors)
    } catch (error) {
      if (!(error instanceof ProxyRejection)) {
        const what = isLicenseError(error)
          ? `${error.code}: ${error.message}`
          : error instanceof Error
            ? error.name
            : typeof error
        resolved.log(`licensekit proxy: unexpected failure while handling a request (${what})`)
      }
      return failureResponse(error, cors.headers)
    }
  }

  if (installation) {
    registerStateReader(handler, {
      reader: (request) =>
        perform({ options: resolved, hooks, request, tokens }, 'validate', null, null),
      now: resolved.now,
      log: resolved.log,
    })
  }
  return Object.defineProperties(handler, {
    basePath: { value: resolved.basePath, enumerable: true },
    allow: { value: ALLOW, enumerable: true },
  }) as LicenseProxyHandler
}
