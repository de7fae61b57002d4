import { createLicenseGuard, requireEntitlement } from '@licensekit/core/server'
import express from 'express'
import { buildCsv, signing } from './env.js'

const app: express.Express = express()
const guard = createLicenseGuard({ keys: signing.publicJwk, domain: 'shop.example' })

app.get('/api/export.csv', async (req, res) => {
  const result = requireEntitlement(
    await guard({ headers: { get: (name) => req.get(name) ?? null } }),
    'export',
  )
  if (!result.ok) {
    res.status(result.response.status).set(Object.fromEntries(result.response.headers))
    res.send(await result.response.text())
    return
  }
  res.type('text/csv').send(await buildCsv(result.license.entitlements.seats))
})

export { app }
