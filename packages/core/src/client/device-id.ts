import { DEVICE_ID, deviceBoundName } from '../binding.js'
import { LicenseError } from '../errors/license-error.js'
import { defaultLocks, type LockManagerLike } from './coordinator.js'
import type { LicenseMode } from './options.js'
import type { LicenseStorage } from './storage.js'
import type { ProxyTransport } from './transport.js'

/** Where the device id is kept: next to the records, under its own name, so removing a key keeps it. */
export const DEVICE_ID_STORAGE_KEY = 'licensekit:device'
/** The Web Lock held while a tab that found no device id creates and stores one. */
export const DEVICE_ID_LOCK = 'licensekit:device'

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
 * and stored on first use. Tabs share it through the storage. A tab that finds none creates it
 * under the `licensekit:device` Web Lock and reads again inside it, so two fresh tabs opened at
 * the same moment end up with one id (and one slot); without Web Locks, both keep the one stored
 * last.
 */
export function deviceIdSource(
  storage: LicenseStorage,
  randomValues?: RandomValues,
  locks: LockManagerLike | null = null,
): () => Promise<string> {
  let value: Promise<string> | null = null
  const stored = async () => {
    const id = await storage.get(DEVICE_ID_STORAGE_KEY)
    return typeof id === 'string' && DEVICE_ID.test(id) ? id : null
  }
  const create = async () => {
    const found = await stored()
    if (found !== null) return found
    const created = createDeviceId(randomValues)
    await storage.set(DEVICE_ID_STORAGE_KEY, created)
    return (await stored()) ?? created
  }
  const read = async () => {
    const found = await stored()
    if (found !== null) return found
    if (locks === null) return create()
    let id = ''
    await locks.request(DEVICE_ID_LOCK, {}, async () => {
      id = await create()
    })
    return id
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

/** What the client gives a binding when it is created. */
export interface BindingContext {
  mode: LicenseMode
  /** The client's storage (the one its record is kept in). */
  storage: LicenseStorage
  /** The audience receipts are checked against without binding (`domain` option). */
  domain: string | undefined
  /** The client's `locks` option: `undefined` for `navigator.locks`, `null` for none. */
  locks: LockManagerLike | null | undefined
}

/** A binding at work in one client: how it sends and which audience its receipts carry. */
export interface BoundClient {
  send: (transport: ProxyTransport) => ProxyTransport
  audience: () => Promise<string | undefined>
}

/** The client option `binding: deviceBinding()` (from `@licensekit/core/device`). */
export type DeviceBinding = (context: BindingContext) => BoundClient

/**
 * One activation slot per browser profile, for a proxy with `binding: 'device'`:
 * `createLicenseClient({ binding: deviceBinding() })`. The client keeps a random device id in its
 * storage, sends it with every key and checks receipts against `<device>.<domain>`. Device mode
 * only: in installation mode creating the client throws `LicenseError('invalid_config')`.
 */
export function deviceBinding(randomValues?: RandomValues): DeviceBinding {
  return ({ mode, storage, domain, locks }) => {
    if (mode === 'installation') {
      throw new LicenseError('invalid_config', 'deviceBinding() needs device mode')
    }
    const device = deviceIdSource(
      storage,
      randomValues,
      locks === undefined ? defaultLocks() : locks,
    )
    return {
      send: (transport) => deviceBoundTransport(transport, device),
      // The audience receipts carry under device binding: `<device>.<domain>`.
      audience: async () =>
        domain === undefined ? undefined : deviceBoundName(await device(), domain),
    }
  }
}
