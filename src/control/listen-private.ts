import type { Server } from 'node:net'

/**
 * A Unix socket takes its mode from the umask when bind(2) creates it: 0o177 makes it 0600.
 * A chmod after listening would leave a moment in which anyone may connect, and the 0700 data
 * directory around it protects it only while nobody widens that directory.
 */
const SOCKET_UMASK = 0o177

/**
 * Listens on the Unix socket `path`, created owner read/write only whatever the process umask.
 * `listen` binds synchronously ('listening' is emitted later), so the process-wide umask is
 * narrowed only while no other code of this process can run, and restored before it returns.
 */
export async function listenPrivately (server: Server, path: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    const umask = process.umask(SOCKET_UMASK)
    try {
      server.listen(path, () => { server.off('error', reject); resolve() })
    } finally {
      process.umask(umask)
    }
  })
}
