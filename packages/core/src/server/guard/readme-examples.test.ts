import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { licenseSubject } from '../../tokens/claims.js'
import { signLicenseToken } from '../../tokens/sign-license-token.js'
import { signing } from './test-support/readme/env.js'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

/** A README example: the file without its test wiring (the `./env.js` import and the export). */
function shown(file: string): string {
  return read(`./test-support/readme/${file}`)
    .split('\n')
    .filter((line) => !line.includes("from './env.js'") && !line.startsWith('export {'))
    .join('\n')
}

async function tokenWith(ent: Record<string, boolean | number>): Promise<string> {
  const iat = Math.floor(Date.now() / 1000)
  return signLicenseToken(signing.privateJwk, {
    iss: 'licensekit',
    sub: await licenseSubject('SHOP-A1B2-C3D4-E5F6-G7H8'),
    aud: 'shop.example',
    st: 'active',
    lexp: null,
    ent,
    iat,
    exp: iat + 3600,
  })
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  )
}

describe('the README guard examples', () => {
  it('are the files these tests run, character for character', () => {
    const readme = read('../../../README.md')
    for (const file of ['express.ts', 'hono.ts', 'next-route.ts']) {
      expect(readme).toContain(`\`\`\`ts\n${shown(file)}\`\`\``)
    }
  })

  describe('Express', () => {
    let server: Server
    let origin: string
    beforeAll(async () => {
      const { app } = await import('./test-support/readme/express.js')
      server = createServer(app)
      origin = await listen(server)
    })
    afterAll(() => {
      server.closeAllConnections()
      server.close()
    })

    it('serves the CSV to a token with export, refuses without', async () => {
      const call = (token?: string) =>
        fetch(`${origin}/api/export.csv`, {
          headers: token ? { authorization: `License ${token}` } : {},
        })
      const granted = await call(await tokenWith({ export: true, seats: 3 }))
      expect(granted.status).toBe(200)
      expect(granted.headers.get('content-type')).toMatch(/^text\/csv/)
      expect(await granted.text()).toContain('# seats 3')
      const missing = await call()
      expect(missing.status).toBe(401)
      expect(missing.headers.get('www-authenticate')).toBe('License')
      expect(await missing.json()).toMatchObject({ error: { code: 'license_required' } })
      expect((await call(await tokenWith({ forecast: true }))).status).toBe(403)
    })
  })

  it('Hono: serves the forecast to a token with forecast, refuses without', async () => {
    const { app } = await import('./test-support/readme/hono.js')
    const call = async (token: string) =>
      app.fetch(
        new Request('https://shop.example/api/forecast', {
          headers: { authorization: `License ${token}` },
        }),
      )
    const granted = await call(await tokenWith({ forecast: true }))
    expect(granted.status).toBe(200)
    expect(await granted.json()).toEqual([{ month: '2026-04', revenueUsd: 53_000 }])
    const refused = await call(await tokenWith({ export: true }))
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({ error: { code: 'license_invalid' } })
  })

  it('Next.js route handler: reads the keys from the JWKS URL', async () => {
    const jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: [signing.publicJwk] }))
    })
    process.env.LICENSEKIT_JWKS_URL = `${await listen(jwks)}/api/license/jwks`
    try {
      const { GET } = await import('./test-support/readme/next-route.js')
      const call = async (token: string) =>
        GET(
          new Request('https://shop.example/api/export', {
            headers: { authorization: `License ${token}` },
          }),
        )
      const granted = await call(await tokenWith({ export: true }))
      expect(granted.status).toBe(200)
      expect(granted.headers.get('content-type')).toBe('text/csv')
      expect((await call(await tokenWith({}))).status).toBe(403)
    } finally {
      delete process.env.LICENSEKIT_JWKS_URL
      jwks.closeAllConnections()
      jwks.close()
    }
  })
})
