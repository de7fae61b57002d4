import { expect, it } from 'vitest'
import { createLicenseClient, createMemoryStorage } from '../index.js'

it('runs the README "Testing with the client" example in plain Node', async () => {
  const client = createLicenseClient({
    endpoint: 'http://localhost/api/license',
    storage: createMemoryStorage(),
    fetch: async () =>
      Response.json({
        ok: true,
        license: { key: 'SHOP-****-****-****-G7H8', status: 'active', expiresAt: null },
        checkedAt: new Date().toISOString(),
      }),
    visibility: { isVisible: () => true, subscribe: () => () => {} },
    online: { subscribe: () => () => {} },
    locks: null,
    channel: null,
  })
  await client.activate('SHOP-A1B2-C3D4-E5F6-G7H8')
  expect(client.getSnapshot().status).toBe('active')
})

it('works in Node without any injection: memory storage, no window, no locks', async () => {
  const client = createLicenseClient({ endpoint: 'http://127.0.0.1:9/api/license' })
  client.start()
  await client.refresh()
  expect(client.getSnapshot()).toMatchObject({ status: 'unlicensed', source: 'none' })
  client.stop()
})
