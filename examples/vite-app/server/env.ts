import { MIN_HEARTBEAT_INTERVAL_MS } from '@licensekit/core'
import { DEFAULT_HEARTBEAT_MS, type DemoServerOptions, type ReceiptKeys } from './demo-server.js'

export type Env = Readonly<Record<string, string | undefined>>

/** A configuration mistake in the environment, with a message that says which variable. */
export class DemoEnvError extends Error {
  override readonly name = 'DemoEnvError'
}

function required(env: Env, name: string, hint: string): string {
  const value = env[name]?.trim()
  if (!value) throw new DemoEnvError(`${name} is not set: ${hint}`)
  return value
}

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new DemoEnvError(`${name} must be a port number 0–65535 (got ${JSON.stringify(raw)})`)
  }
  return value
}

function jwk(env: Env, name: string): JsonWebKey {
  const raw = env[name]
  try {
    const value: unknown = JSON.parse(raw ?? '')
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as JsonWebKey
    }
  } catch {}
  throw new DemoEnvError(`${name} must be a JWK as JSON`)
}

function receiptKeys(env: Env): ReceiptKeys | undefined {
  const hasPrivate = Boolean(env.LICENSEKIT_RECEIPT_PRIVATE_JWK)
  const hasPublic = Boolean(env.LICENSEKIT_RECEIPT_PUBLIC_JWK)
  if (!hasPrivate && !hasPublic) return undefined
  if (!hasPrivate || !hasPublic) {
    throw new DemoEnvError(
      'Set both LICENSEKIT_RECEIPT_PRIVATE_JWK and LICENSEKIT_RECEIPT_PUBLIC_JWK, or neither (a pair is then generated at start)',
    )
  }
  const privateJwk = jwk(env, 'LICENSEKIT_RECEIPT_PRIVATE_JWK')
  const publicJwk = jwk(env, 'LICENSEKIT_RECEIPT_PUBLIC_JWK')
  if (typeof privateJwk.d !== 'string') {
    throw new DemoEnvError('LICENSEKIT_RECEIPT_PRIVATE_JWK is not a private key (no "d")')
  }
  if ('d' in publicJwk) {
    throw new DemoEnvError(
      'LICENSEKIT_RECEIPT_PUBLIC_JWK holds a private key: pass the public part',
    )
  }
  if (privateJwk.x !== publicJwk.x || privateJwk.y !== publicJwk.y) {
    throw new DemoEnvError('The receipt public and private JWKs are not one key pair')
  }
  return { privateJwk, publicJwk }
}

function origins(env: Env): string[] | undefined {
  const raw = env.LICENSEKIT_ALLOWED_ORIGINS?.trim()
  if (!raw) return undefined
  return raw
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
}

function redisUrl(env: Env): string | undefined {
  const raw = env.LICENSEKIT_REDIS_URL?.trim()
  if (!raw) return undefined
  if (!/^rediss?:\/\/\S+$/.test(raw)) {
    throw new DemoEnvError('LICENSEKIT_REDIS_URL must be a redis:// or rediss:// URL')
  }
  return raw
}

function webhookSecret(env: Env): string | undefined {
  const raw = env.LICENSEKIT_WEBHOOK_SECRET?.trim()
  if (!raw) return undefined
  if (Buffer.byteLength(raw, 'utf8') < 16) {
    throw new DemoEnvError('LICENSEKIT_WEBHOOK_SECRET must be at least 16 bytes')
  }
  return raw
}

function binding(env: Env): 'site' | 'device' {
  const raw = env.LICENSEKIT_BINDING?.trim() || 'site'
  if (raw !== 'site' && raw !== 'device') {
    throw new DemoEnvError(
      `LICENSEKIT_BINDING must be "site" or "device" (got ${JSON.stringify(raw)})`,
    )
  }
  return raw
}

/**
 * The demo server's options from the environment: `PORT` (default 3000), `HOST` (default
 * `127.0.0.1`), `ECOSIRE_LICENSE_SECRET`, `LICENSEKIT_UPSTREAM`, `LICENSEKIT_DOMAIN` (default
 * `localhost`), `LICENSEKIT_BINDING` (`site`, the default, or `device`), the optional receipt pair `LICENSEKIT_RECEIPT_PRIVATE_JWK` /
 * `LICENSEKIT_RECEIPT_PUBLIC_JWK`, `LICENSEKIT_HEARTBEAT_MS`, `LICENSEKIT_ALLOWED_ORIGINS`
 * (comma-separated), `LICENSEKIT_WEBHOOK_SECRET` (webhook receiver on) and
 * `LICENSEKIT_REDIS_URL` (Redis event bus and rate limits instead of memory).
 */
export function demoOptionsFromEnv(env: Env, distDir: string | null): DemoServerOptions {
  const heartbeat = env.LICENSEKIT_HEARTBEAT_MS?.trim()
  const heartbeatIntervalMs = heartbeat ? Number(heartbeat) : DEFAULT_HEARTBEAT_MS
  if (
    !Number.isSafeInteger(heartbeatIntervalMs) ||
    heartbeatIntervalMs < MIN_HEARTBEAT_INTERVAL_MS
  ) {
    throw new DemoEnvError(
      `LICENSEKIT_HEARTBEAT_MS must be a whole number of milliseconds, at least ${MIN_HEARTBEAT_INTERVAL_MS} as the browser client requires (got ${JSON.stringify(heartbeat)})`,
    )
  }
  const keys = receiptKeys(env)
  const allowedOrigins = origins(env)
  const secretForWebhooks = webhookSecret(env)
  const redis = redisUrl(env)
  return {
    port: port(env, 'PORT', 3000),
    host: env.HOST?.trim() || '127.0.0.1',
    secret: required(env, 'ECOSIRE_LICENSE_SECRET', 'the HMAC secret shared with the license API'),
    upstream: required(
      env,
      'LICENSEKIT_UPSTREAM',
      'the license API base, e.g. http://127.0.0.1:4010/api',
    ),
    domain: env.LICENSEKIT_DOMAIN?.trim() || 'localhost',
    binding: binding(env),
    heartbeatIntervalMs,
    distDir,
    ...(keys ? { receiptKeys: keys } : {}),
    ...(allowedOrigins ? { allowedOrigins } : {}),
    ...(secretForWebhooks ? { webhookSecret: secretForWebhooks } : {}),
    ...(redis ? { redisUrl: redis } : {}),
  }
}
