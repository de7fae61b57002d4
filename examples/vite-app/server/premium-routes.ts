import {
  createLicenseGuard,
  type EntitlementValue,
  requireEntitlement,
} from '@licensekit/core/server'

/** Where the premium API lives: routes of the app itself, not of the license proxy. */
export const PREMIUM_BASE_PATH = '/api/premium'

declare module '@licensekit/core' {
  interface Entitlements {
    export: boolean
    forecast: boolean
    seats: number
  }
}

export interface PremiumRoutesOptions {
  /** The proxy's token public key (the demo signs and checks in one process). */
  publicJwk: JsonWebKey
  /** The domain the proxy binds licenses to. */
  domain: string
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number
}

const REPORT = [
  ['month', 'orders', 'revenue_usd'],
  ['2026-01', '1190', '42100'],
  ['2026-02', '1243', '47350'],
  ['2026-03', '1284', '51020'],
]

/** The next three months from the last three, by the average monthly growth. */
function forecast(): { month: string; revenueUsd: number }[] {
  const revenue = REPORT.slice(1).map((row) => Number(row[2]))
  const first = revenue[0] ?? 0
  const last = revenue[revenue.length - 1] ?? 0
  const growth = (last / first) ** (1 / (revenue.length - 1))
  return ['2026-04', '2026-05', '2026-06'].map((month, index) => ({
    month,
    revenueUsd: Math.round(last * growth ** (index + 1)),
  }))
}

function csv(seats: EntitlementValue | undefined): Response {
  const body = `${REPORT.map((row) => row.join(',')).join('\n')}\n`
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="northwind-report.csv"',
      'cache-control': 'no-store',
      ...(seats === undefined ? {} : { 'x-license-seats': String(seats) }),
    },
  })
}

/**
 * The demo's premium API, behind `createLicenseGuard`: `GET /api/premium/export.csv` needs the
 * `export` entitlement, `GET /api/premium/forecast` needs `forecast`. Each request carries
 * `Authorization: License <token>` (the token of the proxy's last answer).
 */
export function createPremiumRoutes(options: PremiumRoutesOptions) {
  const guard = createLicenseGuard({
    keys: options.publicJwk,
    domain: options.domain,
    ...(options.now ? { now: options.now } : {}),
  })
  return async function premium(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname
    if (request.method !== 'GET') {
      return new Response(null, { status: 405, headers: { allow: 'GET' } })
    }
    if (path === `${PREMIUM_BASE_PATH}/export.csv`) {
      const result = requireEntitlement(await guard(request), 'export')
      return result.ok ? csv(result.license.entitlements.seats) : result.response
    }
    if (path === `${PREMIUM_BASE_PATH}/forecast`) {
      const result = requireEntitlement(await guard(request), 'forecast')
      return result.ok ? Response.json({ forecast: forecast() }) : result.response
    }
    return new Response(null, { status: 404 })
  }
}
