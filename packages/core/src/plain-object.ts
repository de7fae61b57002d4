/** True for an object that is not an array (or null): the shape every JSON record check starts from. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
