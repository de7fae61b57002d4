import { describe, expect, it } from 'vitest'
import { LicenseError } from '../errors/license-error.js'
import { PendingDeactivations } from './pending-deactivations.js'
import type { PendingDeactivation } from './record.js'
import type { ProxyOutcome } from './transport.js'

const A = { key: 'SHOP-AAAA-AAAA-AAAA-AAAA' }
const B = { key: 'SHOP-BBBB-BBBB-BBBB-BBBB' }
const C = { key: 'SHOP-CCCC-CCCC-CCCC-CCCC' }
const freed: ProxyOutcome = {
  kind: 'success',
  answer: { ok: true, license: null, checkedAt: '2026-01-01T00:00:00.000Z' },
}
const failure = (code: 'not_found' | 'forbidden'): ProxyOutcome => ({
  kind: 'failure',
  error: new LicenseError(code, code),
})
const unreachable: ProxyOutcome = {
  kind: 'unreachable',
  error: new LicenseError('unreachable', 'down'),
}

function queue(entries: PendingDeactivation[], answers: Record<string, ProxyOutcome>) {
  const sent: PendingDeactivation[] = []
  const settled: (readonly PendingDeactivation[])[] = []
  const answered: string[] = []
  const errors: unknown[] = []
  const pending = new PendingDeactivations({
    entries: () => entries,
    send: async (entry) => {
      sent.push(entry)
      return answers[entry.key ?? ''] ?? freed
    },
    onSettled: async (done) => {
      settled.push(done)
    },
    onAnswer: (outcome) => answered.push(outcome.kind),
    onError: (error) => errors.push(error),
  })
  return { pending, sent, settled, answered, errors }
}

describe('PendingDeactivations', () => {
  it('sends each entry in order and stops at the first unreachable answer', async () => {
    const q = queue([A, B, C], { [B.key]: unreachable })
    await q.pending.flush()
    expect(q.sent).toEqual([A, B])
    expect(q.settled).toEqual([[A]])
    expect(q.answered).toEqual(['success', 'unreachable'])
  })

  it('settles a slot that is not held without reporting it; reports other refusals', async () => {
    const q = queue([A, B], { [A.key]: failure('not_found'), [B.key]: failure('forbidden') })
    await q.pending.flush()
    expect(q.settled).toEqual([[A, B]])
    expect(q.errors).toMatchObject([{ code: 'forbidden' }])
  })

  it('concurrent flushes share one, and a later one sends again', async () => {
    const q = queue([A], {})
    await Promise.all([q.pending.flush(), q.pending.flush()])
    expect(q.sent).toEqual([A])
    await q.pending.flush()
    expect(q.sent).toEqual([A, A])
  })

  it('settles nothing when the first answer is unreachable', async () => {
    const q = queue([A], { [A.key]: unreachable })
    await q.pending.flush()
    expect(q.settled).toEqual([])
  })
})
