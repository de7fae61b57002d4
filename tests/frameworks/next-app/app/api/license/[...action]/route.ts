import { createLicenseProxy } from '@licensekit/core/server'

const proxy = createLicenseProxy({
  secret: process.env.ECOSIRE_LICENSE_SECRET ?? '',
  domain: process.env.LICENSEKIT_DOMAIN ?? 'localhost',
  upstream: process.env.LICENSEKIT_UPSTREAM,
})

export const runtime = 'nodejs'

export function POST(request: Request): Promise<Response> {
  return proxy(request)
}

export const OPTIONS = POST
