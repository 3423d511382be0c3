import { createServer } from 'node:http'
import { connect } from 'node:net'
import { unlink } from 'node:fs/promises'
import { API_PREFIX } from './constants.ts'
import { DataDirLockedError } from '../storage/errors.ts'
import { errorInfo, httpStatusFor } from '../errors/index.ts'
import { NotFoundError } from './errors.ts'
import { json } from './http-body.ts'
import { listenPrivately } from './listen-private.ts'
import { findRoute, WROTE } from './routes.ts'
import { socketPath } from './socket-path.ts'
import type { Parley } from '../parley.ts'
import type { Logger } from '@libp2p/interface'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'

export interface ControlServer {
  readonly path: string
  close(): Promise<void>
}

/**
 * Serves the local control API (JSON over HTTP on a Unix socket in the data directory, mode
 * 0600 inside a 0700 directory, so only the owning user reaches it). docs/CONTROL-API.md
 * documents the routes for bot authors.
 */
export async function startControlServer (parley: Parley, log: Logger): Promise<ControlServer> {
  if (parley.dataDir == null) {
    throw new TypeError('the control API belongs to a node with a data directory')
  }
  const path = socketPath(parley.dataDir)
  await removeStaleSocket(path)
  const streams = new Set<ServerResponse>()
  const server = createServer((req, res) => {
    route(parley, req, res, streams).catch(err => { reply(res, err) })
  })
  await listenPrivately(server, path)
  log('control API listening on %s', path)
  return {
    path,
    close: async () => {
      for (const res of streams) res.end()
      await closeServer(server)
    }
  }
}

async function route (parley: Parley, req: IncomingMessage, res: ServerResponse, streams: Set<ServerResponse>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://parley')
  const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : ''
  const found = findRoute(req.method ?? '', path)
  if (found == null) throw new NotFoundError(`no route ${req.method ?? ''} ${url.pathname}`)
  const body = await found.route.handle({ parley, req, res, url, params: found.params, streams })
  if (body !== WROTE) json(res, 200, body)
}

/** A failure: the status its kind calls for, and `{ error: { name, code, kind, message } }` */
function reply (res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.end()
    return
  }
  json(res, httpStatusFor(err), { error: errorInfo(err) })
}

/** A socket file left by a daemon that crashed is removed; one a live daemon answers on is not */
async function removeStaleSocket (path: string): Promise<void> {
  const live = await new Promise<boolean>(resolve => {
    const socket = connect(path)
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => { resolve(false) })
  })
  if (live) {
    throw new DataDirLockedError(`a Parley daemon already answers on ${path}`)
  }
  await unlink(path).catch((err: any) => { if (err.code !== 'ENOENT') throw err })
}

async function closeServer (server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>(resolve => { server.close(() => { resolve() }) })
}
