// signPayload (WebCrypto, key imported once and reused) against node:crypto createHmac, same
// payloads, one run. Prints operations per second for each and their ratio.
// Run: pnpm build && pnpm bench:sign
import { createHmac } from 'node:crypto'
import { canonicalMessage, signPayload } from '../packages/core/dist/server/index.js'

const secret = 'bench-secret-0123456789abcdef'
const seconds = Number(process.env.BENCH_SECONDS ?? 3)
const payloads = Array.from({ length: 256 }, (_, i) => ({
  key: `SHOP-A1B2-C3D4-E5F6-${String(i).padStart(4, '0')}`,
  domain: 'mystore.myshopify.com',
  timestamp: String(1767225600 + i),
}))

async function measure(name: string, sign: (i: number) => Promise<string> | string) {
  for (let i = 0; i < 2000; i++) await sign(i)
  let ops = 0
  const start = performance.now()
  const end = start + seconds * 1000
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) await sign(ops + i)
    ops += 100
  }
  const perSecond = ops / ((performance.now() - start) / 1000)
  console.log(
    `${name.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} ops/s`,
  )
  return perSecond
}

const check = payloads[0]
if (!check) throw new Error('no payload')
const expected = createHmac('sha256', secret).update(canonicalMessage(check)).digest('hex')
if ((await signPayload(secret, check)) !== expected) throw new Error('signatures differ')

console.log(`node ${process.version}, ${seconds}s per variant, ${payloads.length} payloads`)
const webcrypto = await measure('signPayload (WebCrypto)', (i) =>
  signPayload(secret, payloads[i % payloads.length] ?? check),
)
const node = await measure('createHmac (node:crypto)', (i) =>
  createHmac('sha256', secret)
    .update(canonicalMessage(payloads[i % payloads.length] ?? check))
    .digest('hex'),
)
console.log(`ratio signPayload / createHmac: ${(webcrypto / node).toFixed(2)}`)
