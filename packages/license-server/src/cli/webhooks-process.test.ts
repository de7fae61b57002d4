import { signWebhookBody } from '@licensekit/core/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawnCli, waitFor } from '../test-support/cli-process.js'
import { SECRET, signedPost } from '../test-support/signed-post.js'
import { makeTempDb, type TempDb } from '../test-support/temp-db.js'
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.js'

const WEBHOOK_SECRET = 'webhook-secret-0123456789'

let temp: TempDb
let receiver: WebhookReceiver

beforeEach(async () => {
  temp = makeTempDb()
  receiver = await startWebhookReceiver()
})

afterEach(async () => {
  await receiver.close()
  temp.remove()
})

function startServer() {
  const server = spawnCli(
    ['start', '--db', temp.path, '--port', '0', '--webhook-url', receiver.url],
    { ECOSIRE_LICENSE_SECRET: SECRET, LICENSEKIT_WEBHOOK_SECRET: WEBHOOK_SECRET },
  )
  return { ...server, apiBase: waitFor(server.child, server.output, /\(API (\S+),/) }
}

async function cli(...args: string[]) {
  const result = await spawnCli([...args, '--db', temp.path]).exited
  expect(result.code).toBe(0)
  return result.stdout
}

describe('licensekit-server start --webhook-url', () => {
  it('refuses to start without LICENSEKIT_WEBHOOK_SECRET', async () => {
    const result = await spawnCli(
      ['start', '--db', temp.path, '--port', '0', '--webhook-url', receiver.url],
      { ECOSIRE_LICENSE_SECRET: SECRET },
    ).exited
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(/LICENSEKIT_WEBHOOK_SECRET is not set/)
  })

  it('delivers API and CLI changes in order, exactly once, across a SIGKILL and a restart', async () => {
    const key = (await cli('issue', '--prefix', 'SHOP')).trim()
    receiver.answer = (webhook) => (webhook.event === 'license.activated' ? 200 : 500)
    const first = startServer()
    const apiBase = await first.apiBase
    const timestamp = Math.floor(Date.now() / 1000)
    await signedPost(apiBase, 'activate', key, 'a.example', { timestamp })
    await cli('suspend', key)
    await cli('reinstate', key)
    await cli('revoke', key)
    await expect
      .poll(() => receiver.received.some((webhook) => webhook.event === 'license.suspended'))
      .toBe(true)
    first.child.kill('SIGKILL')
    expect((await first.exited).signal).toBe('SIGKILL')

    const pending = JSON.parse(await cli('list-events', '--json')) as { deliveredAt: unknown }[]
    expect(pending.map((event) => event.deliveredAt === null)).toEqual([false, true, true, true])
    expect(await cli('list-events')).toMatch(/license\.suspended\s+SHOP-\S+\s+retry .*HTTP 500/)

    receiver.answer = () => 200
    const second = startServer()
    await second.apiBase
    await expect.poll(() => receiver.accepted.length, { timeout: 15_000 }).toBe(4)
    expect(receiver.accepted.map((webhook) => webhook.event)).toEqual([
      'license.activated',
      'license.suspended',
      'license.reinstated',
      'license.revoked',
    ])
    for (const webhook of receiver.accepted) {
      expect(webhook.signature).toBe(await signWebhookBody(WEBHOOK_SECRET, webhook.body))
    }
    second.child.kill('SIGTERM')
    await second.exited
    const delivered = JSON.parse(await cli('list-events', '--json')) as {
      deliveryId: string
      deliveredAt: unknown
    }[]
    expect(delivered.every((event) => event.deliveredAt !== null)).toBe(true)
    expect(delivered.map((event) => event.deliveryId)).toEqual(
      receiver.accepted.map((webhook) => webhook.delivery),
    )
  }, 30_000)
})
