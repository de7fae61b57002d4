/**
 * What one activation slot binds, shared by the proxy and the browser client: `'site'`, the
 * configured domain (every browser of a site shares one slot), or `'device'`, one slot per
 * browser profile through a random device id the browser keeps (the proxy signs
 * `<device>.<domain>`).
 */
export type LicenseBinding = 'site' | 'device'

/** A browser's device id under `binding: 'device'`: 26 lowercase RFC 4648 base32 characters. */
export const DEVICE_ID = /^[a-z2-7]{26}$/

/** The name a device's slot binds: `<device>.<domain>`, still a host name. */
export function deviceBoundName(device: string, domain: string): string {
  return `${device}.${domain}`
}
