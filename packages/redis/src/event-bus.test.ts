import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisEventBus } from './event-bus.js'
import { connectedClient, type RedisServer, startRedisServer } from './test-support/redis-server.js'

const SUB = 'a'.repeat(64)

let server: RedisServer
let clients: Awaited<ReturnType<typeof connectedClient>>[] = []

beforeAll(async () => {
  server = await startRedisServer()
  clients = await Promise.all([connectedClient(server.url), connectedClient(server.url)])
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.stop()
})

function nextEvent(bus: Awaited<ReturnType<typeof createRedisEventBus>>) {
  return new Promise<[string, string]>((resolve) => {
    const stop = bus.subscribe((sub, event) => {
      stop()
      resolve([sub, event])
    })
  })
}

describe('createRedisEventBus', () => {
  it('delivers an event published on one connection to the listeners of another', async () => {
    const [one, two] = clients as [(typeof clients)[0], (typeof clients)[0]]
    const sender = await createRedisEventBus(one, { channel: 'test:deliver' })
    const receiver = await createRedisEventBus(two, { channel: 'test:deliver' })
    const received = nextEvent(receiver)
    await sender.publish(SUB, 'license.revoked')
    expect(await received).toEqual([SUB, 'license.revoked'])
    await Promise.all([sender.close(), receiver.close()])
  })

  it('keeps channels apart', async () => {
    const [one] = clients as [(typeof clients)[0]]
    const a = await createRedisEventBus(one, { channel: 'test:a' })
    const b = await createRedisEventBus(one, { channel: 'test:b' })
    const heardOnB: string[] = []
    b.subscribe((_sub, event) => heardOnB.push(event))
    const onA = nextEvent(a)
    await a.publish(SUB, 'license.expired')
    await onA
    await b.publish(SUB, 'license.suspended')
    await expect.poll(() => heardOnB).toEqual(['license.suspended'])
    await Promise.all([a.close(), b.close()])
  })

  it('drops messages on the channel that are not license events, and says so', async () => {
    const [one] = clients as [(typeof clients)[0]]
    const errors: unknown[] = []
    const bus = await createRedisEventBus(one, {
      channel: 'test:junk',
      onError: (error) => errors.push(error),
    })
    const heard: string[] = []
    bus.subscribe((sub, event) => heard.push(`${sub} ${event}`))
    for (const junk of ['nope', '{"sub":"xyz","event":"license.revoked"}', `{"sub":"${SUB}"}`]) {
      await one.publish('test:junk', junk)
    }
    await bus.publish(SUB, 'license.revoked')
    await expect.poll(() => heard).toEqual([`${SUB} license.revoked`])
    expect(errors).toHaveLength(3)
    await bus.close()
  })

  it('stops calling a listener once it unsubscribed', async () => {
    const [one] = clients as [(typeof clients)[0]]
    const bus = await createRedisEventBus(one, { channel: 'test:unsubscribe' })
    const heard: string[] = []
    const stop = bus.subscribe((_sub, event) => heard.push(event))
    const first = nextEvent(bus)
    await bus.publish(SUB, 'license.revoked')
    await first
    stop()
    const second = nextEvent(bus)
    await bus.publish(SUB, 'license.expired')
    await second
    expect(heard).toEqual(['license.revoked'])
    await bus.close()
  })
})
