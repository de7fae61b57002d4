import { readBody, SIGNATURE_HEADER } from '@licensekit/core/server'
import { type ApiAnswer, type ApiRequest, MAX_BODY_BYTES } from '../api/handler.js'

const JSON_TYPE = 'application/json; charset=utf-8'

/** The API's view of a fetch `Request`: its body is read (at most the cap) only when asked for. */
export function apiRequestOf(request: Request): ApiRequest {
  return {
    method: request.method,
    path: new URL(request.url).pathname,
    signature: request.headers.get(SIGNATURE_HEADER) ?? undefined,
    text: () => readBody(request, MAX_BODY_BYTES),
  }
}

/** The headers every answer carries: JSON, `Allow` on a 405, `Connection: close` when asked. */
export function answerHeaders(answer: ApiAnswer, close: boolean): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': JSON_TYPE }
  if (answer.allow !== undefined) headers.allow = answer.allow
  if (close) headers.connection = 'close'
  return headers
}

export function responseOf(answer: ApiAnswer, close: boolean): Response {
  return new Response(answer.json, {
    status: answer.status,
    headers: answerHeaders(answer, close),
  })
}
