import { signPayload } from '@licensekit/core/server'

export const SECRET = 'test-secret-of-at-least-16-bytes'
/** 2026-01-01T00:00:00Z, the fake clock's default. */
export const T0 = Date.UTC(2026, 0, 1)

export type Action = 'validate' | 'activate' | 'deactivate'

export interface PostOptions {
  secret?: string
  /** Overrides the computed signature (`null`: no header). */
  signature?: string | null
  /** Unix seconds; default the fake clock's default. */
  timestamp?: number
  extra?: Record<string, string>
}

export interface Answer {
  status: number
  body: Record<string, unknown>
}

/** A signed `POST {apiBase}/licenses/{action}` as the proxy sends it, parsed. */
export async function signedPost(
  apiBase: string,
  action: Action,
  key: string,
  domain: string,
  options: PostOptions = {},
): Promise<Answer> {
  const payload = {
    key,
    domain,
    timestamp: String(options.timestamp ?? T0 / 1000),
    ...options.extra,
  }
  const signature =
    options.signature === undefined
      ? await signPayload(options.secret ?? SECRET, payload)
      : options.signature
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (signature !== null) headers['x-ecosire-signature'] = signature
  const response = await fetch(`${apiBase}/licenses/${action}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(payload),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}
