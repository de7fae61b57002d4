export { DEVICE_ID, deviceBoundName } from '../../binding.js'

/** One DNS label: lowercase letters, digits and inner hyphens, 1–63 characters. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const PORT = /^[1-9][0-9]{0,4}$/
const MAX_HOST_LENGTH = 253

/** The longest host name a domain may have when a device id and a dot are put in front of it. */
export const MAX_DEVICE_HOST_LENGTH = MAX_HOST_LENGTH - 27

/**
 * True for a lowercase host name (`shop.example`, `localhost`, `127.0.0.1`), and with
 * `allowPort` also `host:port`. A scheme, a path, whitespace, uppercase letters, an empty
 * label or a bare port are never host names. `maxHostLength` bounds the host part.
 */
export function isHostName(
  value: string,
  allowPort: boolean,
  maxHostLength = MAX_HOST_LENGTH,
): boolean {
  const colon = value.lastIndexOf(':')
  let host = value
  if (colon !== -1) {
    const port = value.slice(colon + 1)
    if (!allowPort || !PORT.test(port) || Number(port) > 65_535) return false
    host = value.slice(0, colon)
  }
  return host.length <= maxHostLength && host.split('.').every((label) => LABEL.test(label))
}
