import { describe, expect, it } from 'vitest'
import { LicenseError } from '../errors/license-error.js'
import { createRecord, type LicenseRecord } from './record.js'
import {
  activationError,
  afterAnswer,
  afterDeactivation,
  afterRefusal,
  afterSettled,
  afterSuccess,
  deactivationEntry,
  deactivationOutcome,
  pendingAfterActivation,
  statusReason,
} from './record-transitions.js'
import { LICENSE } from './test-support/fake-proxy.js'

const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'
const OLD = 'SHOP-Z9Y8-X7W6-V5U4-T3S2'
const AT = Date.UTC(2026, 0, 2)
const CHECKED = '2026-01-01T00:00:00.000Z'

const active: LicenseRecord = createRecord({
  key: KEY,
  license: LICENSE,
  checkedAt: CHECKED,
  lastActiveAt: CHECKED,
  reason: null,
  receipt: 'r.e.c',
  pendingDeactivations: [{ key: OLD }],
  highWaterMark: Date.parse(CHECKED),
})

describe('record transitions', () => {
  it('a success keeps the key in device mode, dates the grant and restarts the mark', () => {
    const next = afterSuccess(
      { ok: true, license: LICENSE, checkedAt: CHECKED, token: 'a.b.c' },
      { at: AT, mode: 'device', key: KEY, pending: [] },
    )
    expect(next).toEqual({
      v: 1,
      key: KEY,
      license: LICENSE,
      checkedAt: CHECKED,
      receivedAt: AT,
      lastActiveAt: CHECKED,
      reason: null,
      receipt: 'a.b.c',
      highWaterMark: AT,
    })
  })

  it('a success drops the key in installation mode, and a non-active status denies without a receipt', () => {
    const next = afterSuccess(
      { ok: true, license: { ...LICENSE, status: 'suspended' }, checkedAt: CHECKED, token: 'x' },
      { at: AT, mode: 'installation', key: KEY, pending: [] },
    )
    expect(next).toMatchObject({ reason: 'suspended', lastActiveAt: null })
    expect(next).not.toHaveProperty('key')
    expect(next).not.toHaveProperty('receipt')
    expect(statusReason('weird')).toBe('invalid_response')
  })

  it('a refusal ends the grant and keeps the key and what is owed', () => {
    const next = afterRefusal(active, 'revoked', AT)
    expect(next).toMatchObject({
      key: KEY,
      reason: 'revoked',
      lastActiveAt: null,
      highWaterMark: AT,
    })
    expect(next.pendingDeactivations).toEqual([{ key: OLD }])
    expect(next).not.toHaveProperty('receipt')
  })

  it('afterAnswer keeps what is owed on success and sorts refusals', () => {
    const success = afterAnswer(
      { kind: 'success', answer: { ok: true, license: LICENSE, checkedAt: CHECKED } },
      active,
      { at: AT, mode: 'device', key: KEY },
    )
    expect(success.pendingDeactivations).toEqual([{ key: OLD }])
    const error = activationError({
      kind: 'success',
      answer: { ok: true, license: null, checkedAt: CHECKED },
    })
    expect(error).toMatchObject({ name: 'LicenseError', code: 'invalid_response' })
  })

  it('activating a key again voids its own pending deactivation (device mode only)', () => {
    const released = createRecord({ ...active, key: undefined })
    expect(pendingAfterActivation(released, OLD, 'device')).toEqual([])
    expect(pendingAfterActivation(active, KEY, 'device')).toEqual([{ key: OLD }])
    expect(pendingAfterActivation(active, OLD, 'installation')).toEqual([])
  })

  it('switching keys owes the deactivation of the key held before, once', () => {
    const held = createRecord({ ...active, pendingDeactivations: [] })
    expect(pendingAfterActivation(held, OLD, 'device')).toEqual([{ key: KEY }])
    expect(pendingAfterActivation(active, OLD, 'device')).toEqual([{ key: KEY }])
    const owing = createRecord({ ...active, pendingDeactivations: [{ key: KEY }] })
    expect(pendingAfterActivation(owing, OLD, 'device')).toEqual([{ key: KEY }])
    expect(pendingAfterActivation(null, OLD, 'device')).toEqual([])
  })

  it('keeps at most the 16 latest pending deactivations', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ key: `SHOP-AAAA-AAAA-AAAA-${1000 + i}` }))
    const record = createRecord({ ...active, pendingDeactivations: many })
    expect(record.pendingDeactivations).toEqual(many.slice(4))
  })

  it('tells freed, queued and not held apart, and what a deactivation sends', () => {
    const error = new LicenseError('not_activated', 'gone')
    expect(deactivationOutcome({ kind: 'unreachable', error })).toBe('queued')
    expect(deactivationOutcome({ kind: 'failure', error })).toBe('not_held')
    const answer = { ok: true, license: null, checkedAt: CHECKED } as const
    expect(deactivationOutcome({ kind: 'success', answer })).toBe('freed')
    expect(deactivationEntry(active, 'device')).toEqual({ key: KEY })
    expect(deactivationEntry(active, 'installation')).toEqual({})
    expect(deactivationEntry(null, 'device')).toEqual({})
  })

  it('deactivating keeps only what is owed, once per key', () => {
    expect(afterDeactivation(null, active, null, AT)).toBeNull()
    const queued = afterDeactivation(active, active, { key: KEY }, AT)
    expect(queued).toMatchObject({
      license: null,
      reason: null,
      checkedAt: CHECKED,
      highWaterMark: AT,
    })
    expect(queued?.pendingDeactivations).toEqual([{ key: OLD }, { key: KEY }])
    expect(afterDeactivation(queued, active, { key: KEY }, AT)?.pendingDeactivations).toHaveLength(
      2,
    )
  })

  it('settling removes the sent entries, and an empty record goes away', () => {
    expect(afterSettled(active, [{ key: OLD }])).not.toHaveProperty('pendingDeactivations')
    const owedOnly = createRecord({
      license: null,
      checkedAt: null,
      lastActiveAt: null,
      reason: null,
      pendingDeactivations: [{ key: OLD }],
      highWaterMark: 0,
    })
    expect(afterSettled(owedOnly, [{ key: OLD }])).toBeNull()
    expect(afterSettled(owedOnly, [])).toEqual(owedOnly)
  })
})
