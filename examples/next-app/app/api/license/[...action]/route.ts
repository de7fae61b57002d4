import { licenseProxy } from '../../../../lib/license-proxy'

export function POST(request: Request): Promise<Response> {
  return licenseProxy()(request)
}

export const OPTIONS = POST
