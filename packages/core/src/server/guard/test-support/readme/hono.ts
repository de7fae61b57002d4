import { createLicenseGuard, requireEntitlement } from '@licensekit/core/server'
import { Hono } from 'hono'
import { computeForecast, signing } from './env.js'

const app = new Hono()
const guard = createLicenseGuard({ keys: signing.publicJwk, domain: 'shop.example' })

app.get('/api/forecast', async (c) => {
  const result = requireEntitlement(await guard(c.req.raw), 'forecast')
  if (!result.ok) return result.response
  return c.json(await computeForecast())
})

export { app }
