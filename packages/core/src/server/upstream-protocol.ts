/**
 * The proxy ↔ upstream protocol (ECOSIRE's license API), defined once: the proxy reads answers
 * with it and `@licensekit/license-server` writes them with it, so a reworded message on one
 * side cannot silently break the other.
 */
import type { LicenseAction } from '../protocol.js'

/** Header carrying the lowercase hex HMAC-SHA256 of the canonical payload. */
export const SIGNATURE_HEADER = 'x-ecosire-signature'

/** The fields the proxy signs and posts, in canonical (sorted) order. */
export const UPSTREAM_PAYLOAD_FIELDS = ['domain', 'key', 'timestamp'] as const

export type UpstreamPayload = Readonly<Record<(typeof UPSTREAM_PAYLOAD_FIELDS)[number], string>>

/** The flag each action's answer carries: `true` on success, `false` next to a `message`. */
export const SUCCESS_FLAG = {
  validate: 'valid',
  activate: 'activated',
  deactivate: 'deactivated',
} as const satisfies Record<LicenseAction, string>

/** Shortest HMAC secret either side accepts, in UTF-8 bytes. */
export const MIN_SECRET_BYTES = 16

/** A signed request whose timestamp is further than this from the server's clock is refused. */
export const TIMESTAMP_WINDOW_SECONDS = 300

/** Largest upstream answer the proxy reads; past it the rest is not read. */
export const MAX_UPSTREAM_BODY_BYTES = 64 * 1024

/**
 * Every refusal of the license API: its `message` (the wire text) and HTTP status. The proxy
 * maps the message back to the name, case-insensitively; nothing else reads upstream text.
 */
export const UPSTREAM_FAILURES = {
  invalid_signature: { message: 'Invalid signature', status: 401 },
  request_expired: { message: 'Request expired', status: 401 },
  request_replayed: { message: 'Request replayed', status: 401 },
  not_found: { message: 'License not found', status: 404 },
  expired: { message: 'License expired', status: 403 },
  suspended: { message: 'License suspended', status: 403 },
  revoked: { message: 'License revoked', status: 403 },
  limit_reached: { message: 'Activation limit reached', status: 409 },
  not_activated: { message: 'Activation not found', status: 409 },
} as const satisfies Record<string, { message: string; status: number }>

export type UpstreamFailure = keyof typeof UPSTREAM_FAILURES

const FAILURE_BY_MESSAGE: ReadonlyMap<string, UpstreamFailure> = new Map(
  (Object.keys(UPSTREAM_FAILURES) as UpstreamFailure[]).map((name) => [
    UPSTREAM_FAILURES[name].message.toLowerCase(),
    name,
  ]),
)

/** The refusal an upstream `message` names (trimmed, any case), or `null` for unknown text. */
export function upstreamFailureOf(message: string): UpstreamFailure | null {
  return FAILURE_BY_MESSAGE.get(message.trim().toLowerCase()) ?? null
}
