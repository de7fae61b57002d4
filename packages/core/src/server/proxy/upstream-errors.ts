import type { LicenseAction } from '../../protocol.js'
import { type UpstreamFailure, upstreamFailureOf } from '../upstream-protocol.js'
import { type ProxyRejection, reject, type WireCode } from './responses.js'

/** The proxy's code for each upstream refusal; any other 401 is `upstream_misconfigured` too. */
const CODE_OF_FAILURE: Readonly<Record<UpstreamFailure, WireCode>> = {
  invalid_signature: 'upstream_misconfigured',
  request_expired: 'upstream_misconfigured',
  request_replayed: 'upstream_misconfigured',
  not_found: 'not_found',
  expired: 'expired',
  suspended: 'suspended',
  revoked: 'revoked',
  limit_reached: 'limit_reached',
  not_activated: 'not_activated',
}

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
  | { kind: 'oversized' }
  | { kind: 'answer'; status: number; body: unknown; retryAfter: number | undefined }

/** The refusal an upstream body names in its `message`, if any (the one place reading it). */
function failureOf(body: unknown): UpstreamFailure | null {
  if (typeof body !== 'object' || body === null) return null
  const message = (body as { message?: unknown }).message
  return typeof message === 'string' ? upstreamFailureOf(message) : null
}

/** True for the local license server's "Request replayed" (a signature it already accepted). */
export function isReplayRefusal(problem: UpstreamProblem): boolean {
  return problem.kind === 'answer' && failureOf(problem.body) === 'request_replayed'
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
      const failure = failureOf(body)
      code =
        failure !== null
          ? CODE_OF_FAILURE[failure]
          : status === 401
            ? 'upstream_misconfigured'
            : 'upstream_unavailable'
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
    case 'oversized':
      return `${prefix}: the upstream answer exceeded 64 KiB and was not read`
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
