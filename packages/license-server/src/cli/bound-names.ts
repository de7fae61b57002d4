/** How a slot's name reads: a whole site, or one device of a site (`<device>.<domain>`). */
export type BoundName =
  | { kind: 'site'; name: string }
  | { kind: 'device'; name: string; device: string; site: string }

/** The label `@licensekit/core/server` puts in front of the domain under device binding. */
const DEVICE_LABEL = /^([a-z2-7]{26})\.(.+)$/

/** Reads an activated domain as the proxy bound it. */
export function readBoundName(name: string): BoundName {
  const match = DEVICE_LABEL.exec(name)
  if (!match?.[1] || !match[2]) return { kind: 'site', name }
  return { kind: 'device', name, device: match[1], site: match[2] }
}

/** One table row per bound name: the name and what it binds, in words. */
export function boundNameRows(names: readonly string[]): string[][] {
  if (names.length === 0) return [['bound names', '(none: no slot is taken)']]
  return names.map((name, index) => {
    const bound = readBoundName(name)
    const what = bound.kind === 'site' ? 'site' : `device ${bound.device} on ${bound.site}`
    return [index === 0 ? 'bound names' : '', name, what]
  })
}
