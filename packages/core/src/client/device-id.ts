import { DEVICE_ID, deviceBoundName } from '../binding.js'
import type { LicenseStorage } from './storage.js'
import type { ProxyTransport } from './transport.js'

/** Where the device id is kept: next to the records, under its own name, so removing a key keeps it. */
export const DEVICE_ID_STORAGE_KEY = 'licensekit:device'

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

/** Fills `bytes` with random values; default `crypto.getRandomValues`. */
export type RandomValues = (bytes: Uint8Array) => Uint8Array

/**
 * A new device id: 26 lowercase base32 characters from 26 random bytes (5 bits each, 130 bits).
 * Random, never derived from anything the browser could be recognised by.
 */
export function createDeviceId(
  randomValues: RandomValues = (bytes) => crypto.getRandomValues(bytes),
): string {
  return Array.from(randomValues(new Uint8Array(26)), (byte) => BASE32[byte & 31]).join('')
}

/**
 * This browser profile's device id under `binding: 'device'`: read from storage once, created
 * and stored on first use. Tabs share it through the storage; when two fresh tabs create one at
 * the same moment, both end up with the one stored last.
 */
export function deviceIdSource(
  storage: LicenseStorage,
  randomValues?: RandomValues,
): () => Promise<string> {
  let value: Promise<string> | null = null
  const stored = async () => {
    const id = await storage.get(DEVICE_ID_STORAGE_KEY)
    return typeof id === 'string' && DEVICE_ID.test(id) ? id : null
  }
  const read = async () => {
    const found = await stored()
    if (found !== null) return found
    const created = createDeviceId(randomValues)
    await storage.set(DEVICE_ID_STORAGE_KEY, created)
    return (await stored()) ?? created
  }
  return () => {
    value ??= read()
    return value
  }
}

/** A transport that adds `device` to every body carrying a key (`binding: 'device'`). */
export function deviceBoundTransport(send: ProxyTransport, device: () => Promise<string>) {
  const bound: ProxyTransport = async (action, body) =>
    body.key === undefined ? send(action, body) : send(action, { ...body, device: await device() })
  return bound
}

/** The audience receipts carry: the domain, or `<device>.<domain>` under device binding. */
export function receiptAudience(
  domain: string | undefined,
  device: (() => Promise<string>) | null,
): () => Promise<string | undefined> {
  if (domain === undefined || device === null) return async () => domain
  return async () => deviceBoundName(await device(), domain)
}
