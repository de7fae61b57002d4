import type { LicenseAction } from '../../protocol.js'
import { signatureOf } from '../signing.js'
import { SUCCESS_FLAG } from '../upstream-protocol.js'
import type { ResolvedProxyOptions } from './options.js'
import type { ProxyRejection } from './responses.js'
import {
  describeProblem,
  isReplayRefusal,
  type UpstreamProblem,
  type UpstreamStep,
  upstreamRejection,
} from './upstream-errors.js'
import { type UpstreamAnswer, UpstreamOversized, UpstreamTimeout } from './upstream-exchange.js'

/** The license as the upstream `validate` reports it. */
export interface UpstreamLicense {
  status: string
  expiresAt: string | null
  activationsCount?: number
  activationsLimit?: number
  /** The upstream's `license` object as received (for the proxy's `entitlements` option). */
  document: Readonly<Record<string, unknown>>
}

export interface ActivationCounts {
  activationsCount?: number
  activationsLimit?: number
}

const STATUS = /^[\x21-\x7e]{1,64}$/

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0
}

const COUNT_FIELDS = ['activationsCount', 'activationsLimit'] as const

/** Optional non-negative integer counts; `null` when one is present but not a count. */
function countsOf(body: Json): ActivationCounts | null {
  const counts: ActivationCounts = {}
  for (const name of COUNT_FIELDS) {
    const value = body[name]
    if (value === undefined || value === null) continue
    if (!isCount(value)) return null
    counts[name] = value
  }
  return counts
}

/**
 * Adds the counts `from` has to `target`, in place (no spread: the answer's objects keep one
 * shape, which JSON.stringify serialises several times faster).
 */
export function withCounts<T extends object>(
  target: T,
  from: ActivationCounts,
): T & ActivationCounts {
  const counted: T & ActivationCounts = target
  if (from.activationsCount !== undefined) counted.activationsCount = from.activationsCount
  if (from.activationsLimit !== undefined) counted.activationsLimit = from.activationsLimit
  return counted
}

function licenseOf(body: Json): UpstreamLicense | null {
  const license = body.license
  if (!isObject(license)) return null
  const { status, expiresAt } = license
  if (typeof status !== 'string' || !STATUS.test(status)) return null
  let expiry: string | null = null
  if (typeof expiresAt === 'string') {
    const time = Date.parse(expiresAt)
    if (Number.isNaN(time)) return null
    expiry = new Date(time).toISOString()
  } else if (expiresAt !== null && expiresAt !== undefined) {
    return null
  }
  const counts = countsOf(license)
  return counts && withCounts({ status, expiresAt: expiry, document: license }, counts)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}

/**
 * Signs `{key, domain, timestamp}` and posts it to the upstream `action`. Resolves with the
 * upstream's success body; rejects with the mapped {@link ProxyRejection}. `validate` is
 * retried once after a network error (never after a timeout, which already took the whole
 * deadline, nor after an oversized answer or any other answer); `activate` and `deactivate`
 * are timestamped by the {@link SigningClock} and retried once, with the next second, when the
 * upstream says "Request replayed" (another instance used that second).
 */
async function forward(
  options: ResolvedProxyOptions,
  action: LicenseAction,
  key: string,
  domain: string,
  requested: LicenseAction,
): Promise<Json> {
  let problem: UpstreamProblem
  let attempts = 2
  for (;;) {
    attempts--
    const timestamp = options.signingClock.next(
      action,
      key,
      domain,
      Math.floor(options.now() / 1000),
    )
    const payload = { key, domain, timestamp: String(timestamp) }
    const signed = signatureOf(options.secret, payload)
    const signature = typeof signed === 'string' ? signed : await signed
    let answer: UpstreamAnswer
    try {
      answer = await options.exchange(
        options.endpoint(action),
        payload,
        signature,
        options.timeoutMs,
      )
    } catch (cause) {
      problem =
        cause instanceof UpstreamTimeout
          ? { kind: 'timeout' }
          : cause instanceof UpstreamOversized
            ? { kind: 'oversized' }
            : { kind: 'network', cause }
      if (problem.kind === 'network' && action === 'validate' && attempts > 0) continue
      break
    }
    const body = parseJson(answer.text)
    if (answer.status === 200 && isObject(body) && body[SUCCESS_FLAG[action]] === true) {
      return body
    }
    problem = {
      kind: 'answer',
      status: answer.status,
      body,
      retryAfter: parseRetryAfter(answer.retryAfter, options.now()),
    }
    if (action !== 'validate' && attempts > 0 && isReplayRefusal(problem)) continue
    break
  }
  throw rejectionFor(options, { requested, url: options.endpoint(action) }, problem)
}

function rejectionFor(
  options: ResolvedProxyOptions,
  step: UpstreamStep,
  problem: UpstreamProblem,
): ProxyRejection {
  const rejection = upstreamRejection(problem)
  if (rejection.code === 'upstream_unavailable' || rejection.code === 'upstream_misconfigured') {
    options.log(describeProblem(step, problem, rejection.code))
  }
  return rejection
}

function wrongShape(
  options: ResolvedProxyOptions,
  action: LicenseAction,
  requested: LicenseAction,
): ProxyRejection {
  return rejectionFor(
    options,
    { requested, url: options.endpoint(action) },
    {
      kind: 'answer',
      status: 200,
      body: undefined,
      retryAfter: undefined,
    },
  )
}

/** Validates `key` on `domain`; `requested` is the browser's action, for the log lines. */
export async function upstreamValidate(
  options: ResolvedProxyOptions,
  key: string,
  domain: string,
  requested: LicenseAction = 'validate',
): Promise<UpstreamLicense> {
  const license = licenseOf(await forward(options, 'validate', key, domain, requested))
  if (!license) throw wrongShape(options, 'validate', requested)
  return license
}

/** `activate` or `deactivate` upstream: both answer the key's activation counts. */
export async function upstreamSlot(
  options: ResolvedProxyOptions,
  action: 'activate' | 'deactivate',
  key: string,
  domain: string,
): Promise<ActivationCounts> {
  const counts = countsOf(await forward(options, action, key, domain, action))
  if (!counts) throw wrongShape(options, action, action)
  return counts
}
