import { headers } from 'next/headers'

/**
 * The page's request as a fetch `Request`, for `getLicenseState`: Server Components get no
 * request object, only its headers. Reading them makes the page render per request.
 */
export async function pageRequest(): Promise<Request> {
  const incoming = await headers()
  return new Request(`http://${incoming.get('host') ?? 'localhost'}/`, { headers: incoming })
}
