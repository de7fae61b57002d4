import {
  generateSigningKeys,
  type LicenseTokenClaims,
  licenseSubject,
  signLicenseToken,
} from '@licensekit/core/server'
import { describe, expect, it } from 'vitest'
import { createPremiumRoutes } from './premium-routes.js'

const keys = await generateSigningKeys()
const DOMAIN = 'demo.test'
const NOW = Date.UTC(2026, 5, 1)
const iat = NOW / 1000
const base: LicenseTokenClaims = {
  iss: 'licensekit',
  sub: await licenseSubject('DEMO-AAAA-BBBB-CCCC-DDDD'),
  aud: DOMAIN,
  st: 'active',
  lexp: null,
  ent: { export: true, forecast: true, seats: 5 },
  iat,
  exp: iat + 86_400,
}
const premium = createPremiumRoutes({ publicJwk: keys.publicJwk, domain: DOMAIN, now: () => NOW })

async function get(path: string, claims?: Partial<LicenseTokenClaims>, signer = keys.privateJwk) {
  const token = claims && (await signLicenseToken(signer, { ...base, ...claims }))
  return premium(
    new Request(`http://demo.test/api/premium/${path}`, {
      headers: token ? { authorization: `License ${token}` } : {},
    }),
  )
}

async function codeOf(response: Response): Promise<unknown> {
  return ((await response.json()) as { error?: { code?: unknown } }).error?.code
}

describe('the premium routes', () => {
  it('serve the CSV export to a license with export', async () => {
    const response = await get('export.csv', {})
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="northwind-report.csv"',
    )
    expect(response.headers.get('x-license-seats')).toBe('5')
    const text = await response.text()
    expect(text.split('\n')[0]).toBe('month,orders,revenue_usd')
    expect(text.trim().split('\n')).toHaveLength(4)
  })

  it('serve the forecast to a license with forecast, even without export', async () => {
    const response = await get('forecast', { ent: { forecast: true } })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { forecast: { month: string; revenueUsd: number }[] }
    expect(body.forecast.map((row) => row.month)).toEqual(['2026-04', '2026-05', '2026-06'])
    expect(body.forecast[0]?.revenueUsd).toBeGreaterThan(51_020)
  })

  it.each(['export.csv', 'forecast'])(
    'answer 401 license_required to %s without a token',
    async (path) => {
      const response = await get(path)
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('License')
      expect(await codeOf(response)).toBe('license_required')
    },
  )

  it.each<[string, string, Partial<LicenseTokenClaims>]>([
    ['a Pro license without export', 'export.csv', { ent: { forecast: true, seats: 1 } }],
    ['a license without forecast', 'forecast', { ent: { export: true } }],
    ['a revoked license', 'export.csv', { st: 'revoked' }],
    ['a token for another domain', 'export.csv', { aud: 'other.test' }],
    ['an expired token', 'export.csv', { iat: iat - 2 * 86_400, exp: iat - 3600 }],
  ])('answer 403 license_invalid to %s', async (_label, path, claims) => {
    const response = await get(path, claims)
    expect(response.status).toBe(403)
    expect(await codeOf(response)).toBe('license_invalid')
  })

  it('answer 403 to a token signed by another key', async () => {
    const other = await generateSigningKeys()
    const response = await get('export.csv', {}, other.privateJwk)
    expect(response.status).toBe(403)
  })

  it('answer 401 to a garbled token', async () => {
    const response = await premium(
      new Request('http://demo.test/api/premium/export.csv', {
        headers: { authorization: 'License not.a.token' },
      }),
    )
    expect(response.status).toBe(401)
  })

  it('answer 404 to an unknown route and 405 to other methods', async () => {
    expect((await get('reports')).status).toBe(404)
    const posted = await premium(
      new Request('http://demo.test/api/premium/export.csv', { method: 'POST' }),
    )
    expect(posted.status).toBe(405)
  })
})
