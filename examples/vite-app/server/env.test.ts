import { describe, expect, it } from 'vitest'
import { DEFAULT_HEARTBEAT_MS } from './demo-server.js'
import { DemoEnvError, demoOptionsFromEnv } from './env.js'

const base = {
  ECOSIRE_LICENSE_SECRET: 'a-secret-of-at-least-16-bytes',
  LICENSEKIT_UPSTREAM: 'http://127.0.0.1:4010/api',
}
const privateJwk = { kty: 'EC', crv: 'P-256', x: 'X', y: 'Y', d: 'D' }
const publicJwk = { kty: 'EC', crv: 'P-256', x: 'X', y: 'Y' }

describe('demoOptionsFromEnv', () => {
  it('reads the variables, with defaults for the optional ones', () => {
    expect(demoOptionsFromEnv(base, '/dist')).toEqual({
      port: 3000,
      host: '127.0.0.1',
      secret: base.ECOSIRE_LICENSE_SECRET,
      upstream: base.LICENSEKIT_UPSTREAM,
      domain: 'localhost',
      binding: 'site',
      heartbeatIntervalMs: DEFAULT_HEARTBEAT_MS,
      distDir: '/dist',
    })
  })

  it('takes LICENSEKIT_BINDING, and refuses anything but site or device', () => {
    expect(demoOptionsFromEnv({ ...base, LICENSEKIT_BINDING: 'device' }, null).binding).toBe(
      'device',
    )
    expect(() => demoOptionsFromEnv({ ...base, LICENSEKIT_BINDING: 'browser' }, null)).toThrow(
      /LICENSEKIT_BINDING must be "site" or "device"/,
    )
  })

  it('takes PORT, HOST, the domain, the heartbeat, the origins and a receipt pair', () => {
    const options = demoOptionsFromEnv(
      {
        ...base,
        PORT: '8080',
        HOST: '0.0.0.0',
        LICENSEKIT_DOMAIN: 'shop.example',
        LICENSEKIT_HEARTBEAT_MS: '60000',
        LICENSEKIT_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
        LICENSEKIT_RECEIPT_PRIVATE_JWK: JSON.stringify(privateJwk),
        LICENSEKIT_RECEIPT_PUBLIC_JWK: JSON.stringify(publicJwk),
      },
      null,
    )
    expect(options).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      domain: 'shop.example',
      heartbeatIntervalMs: 60_000,
      allowedOrigins: ['https://a.example', 'https://b.example'],
      receiptKeys: { privateJwk, publicJwk },
      distDir: null,
    })
  })

  it('takes the webhook secret and the Redis URL', () => {
    expect(
      demoOptionsFromEnv(
        {
          ...base,
          LICENSEKIT_WEBHOOK_SECRET: 'a-webhook-secret-of-16-bytes',
          LICENSEKIT_REDIS_URL: 'redis://127.0.0.1:6379',
        },
        null,
      ),
    ).toMatchObject({
      webhookSecret: 'a-webhook-secret-of-16-bytes',
      redisUrl: 'redis://127.0.0.1:6379',
    })
  })

  it.each([
    [
      'a short webhook secret',
      { ...base, LICENSEKIT_WEBHOOK_SECRET: 'short' },
      /LICENSEKIT_WEBHOOK_SECRET/,
    ],
    [
      'a Redis URL of another scheme',
      { ...base, LICENSEKIT_REDIS_URL: 'http://x' },
      /LICENSEKIT_REDIS_URL/,
    ],
    ['no secret', { LICENSEKIT_UPSTREAM: base.LICENSEKIT_UPSTREAM }, /ECOSIRE_LICENSE_SECRET/],
    ['no upstream', { ECOSIRE_LICENSE_SECRET: 'x'.repeat(32) }, /LICENSEKIT_UPSTREAM/],
    ['a bad port', { ...base, PORT: 'http' }, /PORT/],
    ['a port out of range', { ...base, PORT: '70000' }, /PORT/],
    ['a bad heartbeat', { ...base, LICENSEKIT_HEARTBEAT_MS: '1.5' }, /LICENSEKIT_HEARTBEAT_MS/],
    [
      'a heartbeat the browser client refuses',
      { ...base, LICENSEKIT_HEARTBEAT_MS: '1000' },
      /LICENSEKIT_HEARTBEAT_MS .*at least 60000/,
    ],
    [
      'a heartbeat just under the client minimum',
      { ...base, LICENSEKIT_HEARTBEAT_MS: '59999' },
      /LICENSEKIT_HEARTBEAT_MS/,
    ],
    [
      'half a receipt pair',
      { ...base, LICENSEKIT_RECEIPT_PRIVATE_JWK: JSON.stringify(privateJwk) },
      /both/,
    ],
    [
      'a receipt key that is not JSON',
      {
        ...base,
        LICENSEKIT_RECEIPT_PRIVATE_JWK: '{nope',
        LICENSEKIT_RECEIPT_PUBLIC_JWK: JSON.stringify(publicJwk),
      },
      /LICENSEKIT_RECEIPT_PRIVATE_JWK must be a JWK/,
    ],
    [
      'a public key in the private variable',
      {
        ...base,
        LICENSEKIT_RECEIPT_PRIVATE_JWK: JSON.stringify(publicJwk),
        LICENSEKIT_RECEIPT_PUBLIC_JWK: JSON.stringify(publicJwk),
      },
      /not a private key/,
    ],
    [
      'a private key in the public variable',
      {
        ...base,
        LICENSEKIT_RECEIPT_PRIVATE_JWK: JSON.stringify(privateJwk),
        LICENSEKIT_RECEIPT_PUBLIC_JWK: JSON.stringify(privateJwk),
      },
      /holds a private key/,
    ],
    [
      'keys from two pairs',
      {
        ...base,
        LICENSEKIT_RECEIPT_PRIVATE_JWK: JSON.stringify(privateJwk),
        LICENSEKIT_RECEIPT_PUBLIC_JWK: JSON.stringify({ ...publicJwk, x: 'other' }),
      },
      /not one key pair/,
    ],
  ])('refuses %s with a message naming the variable', (_name, env, message) => {
    expect(() => demoOptionsFromEnv(env, null)).toThrow(DemoEnvError)
    expect(() => demoOptionsFromEnv(env, null)).toThrow(message)
  })
})
