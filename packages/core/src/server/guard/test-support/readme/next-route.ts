import { createLicenseGuard, requireEntitlement } from '@licensekit/core/server'
import { buildCsv } from './env.js'

const guard = createLicenseGuard({
  keys: process.env.LICENSEKIT_JWKS_URL ?? 'https://shop.example/api/license/jwks',
  domain: 'shop.example',
})

export async function GET(request: Request) {
  const result = requireEntitlement(await guard(request), 'export')
  if (!result.ok) return result.response
  return new Response(await buildCsv(), { headers: { 'content-type': 'text/csv' } })
}
