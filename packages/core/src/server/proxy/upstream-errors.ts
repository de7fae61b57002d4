import type { LicenseAction } from '../../protocol.js'
import { type ProxyRejection, reject, type WireCode } from './responses.js'

/**
 * The one place that reads upstream messages. Keys are the license API's messages, lower-cased;
 * values are the code the browser gets. Our own message replaces the upstream's.
 */
const UPSTREAM_MESSAGES: ReadonlyMap<string, WireCode> = new Map([
  ['invalid signature', 'upstream_misconfigured'],
  ['license not found', 'not_found'],
  ['license expired', 'expired'],
  ['license suspended', 'suspended'],
  ['license revoked', 'revoked'],
  ['activation limit reached', 'limit_reached'],
  ['activation not found', 'not_activated'],
])

const MESSAGES: Readonly<Partial<Record<WireCode, string>>> = {
  upstream_misconfigured: 'The license proxy is misconfigured',
  upstream_unavailable: 'The license service is temporarily unavailable',
  not_found: 'License not found',
  expired: 'License expired',
  suspended: 'License suspended',
  revoked: 'License revoked',
  limit_reached: 'Activation limit reached',
  not_activated: 'This domain holds no activation of the license',
}

/** What went wrong upstream, for the operator's log (never the upstream's own text). */
export type UpstreamProblem =
  | { kind: 'timeout' }
  | { kind: 'network'; cause: unknown }
  | { kind: 'answer'; status: number; body: unknown; retryAfter: number | undefined }

function messageOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null
  const message = (body as { message?: unknown }).message
  return typeof message === 'string' ? message.trim().toLowerCase() : null
}

/**
 * Maps an upstream failure to the proxy's answer: 429 and 5xx are `upstream_unavailable`
 * (with the upstream's Retry-After), a known message its code, any other 401
 * `upstream_misconfigured`, and everything else (HTML, empty body, wrong shape)
 * `upstream_unavailable`.
 */
export function upstreamRejection(problem: UpstreamProblem): ProxyRejection {
  let code: WireCode = 'upstream_unavailable'
  let retryAfter: number | undefined
  if (problem.kind === 'answer') {
    const { status, body } = problem
    if (status === 429 || status >= 500) {
      retryAfter = problem.retryAfter
    } else {
      const message = messageOf(body)
      code =
        (message === null ? undefined : UPSTREAM_MESSAGES.get(message)) ??
        (status === 401 ? 'upstream_misconfigured' : 'upstream_unavailable')
    }
  }
  const options = retryAfter === undefined ? {} : { retryAfter }
  return reject(code, MESSAGES[code] ?? MESSAGES.upstream_unavailable ?? '', options)
}

/** Which call failed: the browser's action and the upstream URL of the step that failed. */
export interface UpstreamStep {
  /** The action the browser asked for (an `activate` validates first). */
  requested: LicenseAction
  url: string
}

/**
 * One log line for a failure the operator should see (an unavailable or misconfigured
 * upstream): the action, the upstream URL and what went wrong, never the upstream's text.
 */
export function describeProblem(
  step: UpstreamStep,
  problem: UpstreamProblem,
  code: WireCode,
): string {
  const prefix = `licensekit proxy: ${step.requested}: POST ${step.url}`
  switch (problem.kind) {
    case 'timeout':
      return `${prefix}: the upstream did not answer in time`
    case 'network': {
      const cause = problem.cause
      const name = cause instanceof Error ? cause.name : typeof cause
      return `${prefix}: the upstream is unreachable (${name})`
    }
    case 'answer':
      if (code === 'upstream_misconfigured') {
        return `${prefix}: the upstream refused the request (HTTP ${problem.status}): check the secret and the server clock`
      }
      return `${prefix}: the upstream answered HTTP ${problem.status} that the proxy cannot use`
  }
}
