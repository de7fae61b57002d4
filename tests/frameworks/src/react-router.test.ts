import type { Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import {
  type ActionFunctionArgs,
  createRequestHandler,
  type LoaderFunctionArgs,
  type ServerBuild,
} from 'react-router'
import { afterEach, describe, it } from 'vitest'
import { close, expectRecipeWorks, listen, recipeProxy } from './test-support/recipes.js'

const servers: Server[] = []
afterEach(() => Promise.all(servers.splice(0).map(close)))

/**
 * A server build as `react-router build` emits it, written by hand for an app with the
 * resource route and a health route, so the test needs no build step; the request handling
 * is React Router's own (`createRequestHandler`, what `react-router-serve` runs).
 */
function buildWith(resourceRoute: {
  action: (args: ActionFunctionArgs) => Promise<Response>
  loader: (args: LoaderFunctionArgs) => Promise<Response>
}): ServerBuild {
  return {
    entry: { module: { default: () => new Response('no documents here', { status: 500 }) } },
    routes: {
      root: { id: 'root', path: '', module: { default: () => null } },
      'routes/api.license.$': {
        id: 'routes/api.license.$',
        parentId: 'root',
        path: 'api/license/*',
        module: resourceRoute,
      },
      'routes/health': {
        id: 'routes/health',
        parentId: 'root',
        path: 'health',
        module: { loader: () => new Response('ok') },
      },
    },
    assets: { entry: { module: '', imports: [] }, routes: {}, url: '', version: '1' },
    publicPath: '/',
    assetsBuildDirectory: 'build/client',
    future: {},
    ssr: true,
    isSpaMode: false,
    prerender: [],
    routeDiscovery: { mode: 'lazy', manifestPath: '/__manifest' },
  } as unknown as ServerBuild
}

describe('React Router 7 resource routes', () => {
  it('serves the proxy from a resource route’s action (POST) and loader (OPTIONS)', async () => {
    const { proxy, calls } = recipeProxy()
    // app/routes/api.license.$.ts
    const action = ({ request }: ActionFunctionArgs) => proxy(request)
    const loader = ({ request }: LoaderFunctionArgs) => proxy(request)
    const handler = createRequestHandler(buildWith({ action, loader }), 'production')
    const server = createAdaptorServer({ fetch: (request: Request) => handler(request) }) as Server
    servers.push(server)
    await expectRecipeWorks(await listen(server), calls)
  })
})
