import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import type { AddressInfo } from 'node:net'

/** What the web app reads from `config.json` (see src/browser/config.ts) */
export interface WebAppConfig {
  /** Relay multiaddrs the page dials first (`/ws` or `/webrtc-direct/certhash/...`, each with `/p2p/`) */
  bootstrap: string[]
  /** Allow loopback and private addresses (a relay on this machine or the LAN) */
  lan?: boolean
  /** The disappearing-message timers the page offers, in seconds (test networks' short ones) */
  timers?: number[]
}

export interface StaticServerInit {
  /** The built app (dist/web) */
  root: string
  /** Served as /config.json when given, instead of a file of that name */
  config?: WebAppConfig
  /** @default 0 (any free port) */
  port?: number
}

export interface StaticServer {
  /** http://127.0.0.1:PORT/ */
  url: string
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml'
}

/**
 * A small static file server on 127.0.0.1 for `npm run web` and the browser tests: the page
 * must come from an http origin (IndexedDB, Web Locks), and any static host serves it in
 * production. Only files under `root` are served; no directory listings.
 */
export async function startStaticServer (init: StaticServerInit): Promise<StaticServer> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
      if (path === '/config.json' && init.config != null) {
        res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' })
        res.end(JSON.stringify(init.config))
        return
      }
      const file = normalize(join(init.root, path === '/' ? 'index.html' : path))
      if (!file.startsWith(init.root + sep)) {
        res.writeHead(403).end()
        return
      }
      try {
        const body = await readFile(file)
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' })
        res.end(body)
      } catch {
        res.writeHead(404).end()
      }
    })()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(init.port ?? 0, '127.0.0.1', () => { resolve() })
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolve => { server.close(() => { resolve() }) })
    }
  }
}
