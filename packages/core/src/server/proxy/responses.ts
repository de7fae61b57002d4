import type { LicenseErrorCode } from '../../errors/codes.js'
import { isLicenseError, LicenseError } from '../../errors/license-error.js'
import type { ProxyFailure, ProxySuccess } from '../../protocol.js'

/** The codes the proxy answers with, and their HTTP status (docs/architecture.md, "Wire formats"). */
const STATUS_BY_CODE = {
  invalid_key_format: 400,
  bad_request: 400,
  method_not_allowed: 405,
  unsupported_media_type: 415,
  payload_too_large: 413,
  forbidden_origin: 403,
  forbidden: 403,
  not_found: 404,
  not_activated: 409,
  expired: 403,
  suspended: 403,
  revoked: 403,
  limit_reached: 409,
  rate_limited: 429,
  upstream_misconfigured: 502,
  upstream_unavailable: 503,
  body_consumed: 500,
} as const satisfies Partial<Record<LicenseErrorCode, number>>

export type WireCode = keyof typeof STATUS_BY_CODE

function isWireCode(code: LicenseErrorCode): code is WireCode {
  return Object.hasOwn(STATUS_BY_CODE, code)
}

/** Headers every answer carries: JSON, never cached, and varying by Origin. */
export function baseHeaders(extra: HeadersInit = {}): Headers {
  const headers = new Headers(extra)
  headers.set('cache-control', 'no-store')
  headers.set('vary', 'Origin')
  headers.set('x-content-type-options', 'nosniff')
  return headers
}

export function jsonResponse(
  status: number,
  body: ProxySuccess | ProxyFailure,
  extra?: HeadersInit,
): Response {
  const headers = baseHeaders(extra)
  headers.set('content-type', 'application/json; charset=utf-8')
  return new Response(JSON.stringify(body), { status, headers })
}

/** A `LicenseError` the handler turns into a failure answer (`status` overrides the table). */
export class ProxyRejection extends LicenseError {
  readonly status: number | undefined
  readonly headers: HeadersInit | undefined

  constructor(
    code: WireCode,
    message: string,
    options: { retryAfter?: number; status?: number; headers?: HeadersInit; cause?: unknown } = {},
  ) {
    super(code, message, options)
    this.status = options.status
    this.headers = options.headers
  }
}

export function reject(
  code: WireCode,
  message: string,
  options?: ConstructorParameters<typeof ProxyRejection>[2],
): ProxyRejection {
  return new ProxyRejection(code, message, options)
}

/**
 * The failure answer for an error raised while handling a request. Only errors the proxy
 * raised itself keep their message; anything else (a bug, a hook's error) becomes a generic
 * 503 so nothing internal leaks.
 */
export function failureResponse(error: unknown, extra?: HeadersInit): Response {
  if (!(error instanceof ProxyRejection) || !isWireCode(error.code)) {
    const misconfigured = isLicenseError(error) && error.code === 'invalid_config'
    return jsonResponse(
      misconfigured ? 502 : 503,
      {
        ok: false,
        error: misconfigured
          ? { code: 'upstream_misconfigured', message: 'The license proxy is misconfigured' }
          : {
              code: 'upstream_unavailable',
              message: 'The license service is temporarily unavailable',
            },
      },
      extra,
    )
  }
  const headers = new Headers(extra)
  for (const [name, value] of new Headers(error.headers)) headers.set(name, value)
  if (error.retryAfter !== undefined) headers.set('retry-after', String(error.retryAfter))
  return jsonResponse(
    error.status ?? STATUS_BY_CODE[error.code],
    { ok: false, error: { code: error.code, message: error.message } },
    headers,
  )
}
