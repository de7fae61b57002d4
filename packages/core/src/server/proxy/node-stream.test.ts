import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createMemoryEventBus } from '../events/event-bus.js'
import {
  subOf,
  WEBHOOK_SECRET,
  webhookBody,
  webhookRequest,
} from '../events/test-support/webhooks.js'
import { createLicenseProxy } from './create-license-proxy.js'
import { toNodeHandler } from './node-handler.js'
import { fakeUpstream, KEY, testOptions } from './test-support/fake-upstream.js'
import { serversClosedAfterEach } from './test-support/servers.js'

const servers = serversClosedAfterEach()

async function serveProxy(): Promise<string> {
  const proxy = createLicenseProxy(
    testOptions(fakeUpstream().fetch, {
      webhookSecret: WEBHOOK_SECRET,
      eventBus: createMemoryEventBus(),
      events: { maxStreamsPerClient: 1 },
    }),
  )
  const server = createServer(toNodeHandler(proxy))
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** Sends a webhook built for the test proxy to the real server. */
async function deliver(origin: string, body: string, delivery: string): Promise<Response> {
  const request = await webhookRequest({ body, delivery })
  return fetch(`${origin}/api/license/webhook`, {
    method: 'POST',
    headers: request.headers,
    body,
  })
}

const decoder = new TextDecoder()

describe('toNodeHandler with live events', () => {
  it('streams events as they come instead of buffering the answer', async () => {
    const origin = await serveProxy()
    const controller = new AbortController()
    const stream = await fetch(`${origin}/api/license/events?sub=${subOf(KEY)}`, {
      signal: controller.signal,
    })
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader()
    expect(decoder.decode((await reader.read()).value)).toBe(': connected\n\n')
    const body = webhookBody('license.revoked', { licenseKey: KEY })
    expect((await deliver(origin, body, 'dlv_node_1')).status).toBe(200)
    expect(decoder.decode((await reader.read()).value)).toBe(
      'event: license\ndata: {"event":"license.revoked"}\n\n',
    )
    controller.abort()
  })

  it('closes the stream at its source when the client goes away', async () => {
    const origin = await serveProxy()
    const controller = new AbortController()
    const url = `${origin}/api/license/events?sub=${subOf(KEY)}`
    const first = await fetch(url, { signal: controller.signal })
    await (first.body as ReadableStream<Uint8Array>).getReader().read()
    const refused = await fetch(url)
    expect(refused.status).toBe(429)
    controller.abort()
    await expect
      .poll(
        async () => {
          const again = await fetch(url)
          await again.body?.cancel()
          return again.status
        },
        { timeout: 10_000, interval: 20 },
      )
      .toBe(200)
  })

  it('reads webhook bodies over the 1 KiB limit of the license endpoints', async () => {
    const origin = await serveProxy()
    const body = webhookBody('license.revoked', { licenseKey: KEY, note: 'x'.repeat(8_000) })
    expect((await deliver(origin, body, 'dlv_node_2')).status).toBe(200)
    const tooLarge = webhookBody('license.revoked', { licenseKey: KEY, note: 'x'.repeat(70_000) })
    expect((await deliver(origin, tooLarge, 'dlv_node_3')).status).toBe(413)
  })
})
