import type { LicenseErrorCode } from '../../errors/codes.js'
import { isLicenseError, LicenseError } from '../../errors/license-error.js'
import type { ProxyFailure, ProxySuccess } from '../../protocol.js'
import type { PlainAnswer } from './plain-http.js'

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

export type HeaderMap = Record<string, string>

/** Headers every answer carries: JSON, never cached, and varying by Origin; `extra` first. */
export function baseHeaders(extra?: Readonly<HeaderMap>): HeaderMap {
  return {
    ...extra,
    'cache-control': 'no-store',
    vary: 'Origin',
    'x-content-type-options': 'nosniff',
  }
}

export function jsonAnswer(
  status: number,
  body: ProxySuccess | ProxyFailure,
  extra?: Readonly<HeaderMap>,
): PlainAnswer {
  const headers = baseHeaders(extra)
  headers['content-type'] = 'application/json; charset=utf-8'
  return { status, headers, body: JSON.stringify(body) }
}

/** A `LicenseError` the handler turns into a failure answer (`status` overrides the table). */
export class ProxyRejection extends LicenseError {
  readonly status: number | undefined
  readonly headers: Readonly<HeaderMap> | undefined

  constructor(
    code: WireCode,
    message: string,
    options: {
      retryAfter?: number
      status?: number
      /** Lower-case names. */
      headers?: Readonly<HeaderMap>
      cause?: unknown
    } = {},
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
export function failureAnswer(error: unknown, extra?: Readonly<HeaderMap>): PlainAnswer {
  if (!(error instanceof ProxyRejection) || !isWireCode(error.code)) {
    const misconfigured = isLicenseError(error) && error.code === 'invalid_config'
    return jsonAnswer(
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
  const headers: HeaderMap = { ...extra, ...error.headers }
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter)
  return jsonAnswer(
    error.status ?? STATUS_BY_CODE[error.code],
    { ok: false, error: { code: error.code, message: error.message } },
    headers,
  )
}
