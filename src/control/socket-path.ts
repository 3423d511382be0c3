import { join } from 'node:path'
import { MAX_SOCKET_PATH_BYTES, SOCKET_NAME } from './constants.ts'
import { SocketPathTooLongError } from './errors.ts'

/** The control socket of the daemon that owns `dataDir` */
export function socketPath (dataDir: string): string {
  const path = join(dataDir, SOCKET_NAME)
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new SocketPathTooLongError(`the control socket path ${path} is longer than ${MAX_SOCKET_PATH_BYTES} bytes: use a shorter --data directory`)
  }
  return path
}
