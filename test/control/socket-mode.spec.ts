import assert from 'node:assert/strict'
import { statSync } from 'node:fs'
import { Server } from 'node:net'
import { defaultLogger } from '@libp2p/logger'
import { startControlServer } from '../../src/control/server.ts'
import { socketPath } from '../../src/control/socket-path.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { ControlServer } from '../../src/control/server.ts'
import type { Parley } from '../../src/parley.ts'

describe('control socket permissions', function () {
  const dirs = new TempDirs()
  let server: ControlServer | undefined
  after(async () => { await dirs.cleanup() })
  afterEach(async () => { await server?.close() })

  it('is 0600 or stricter from the moment it exists, whatever the umask', async () => {
    const dataDir = await dirs.make()
    const path = socketPath(dataDir)
    // the first 'listening' listener runs before any code after listen() can change the mode
    const modes: number[] = []
    const listen = Server.prototype.listen
    const previousUmask = process.umask(0)
    Server.prototype.listen = function (this: Server, ...args: any[]) {
      this.once('listening', () => { modes.push(statSync(path).mode & 0o777) })
      return listen.apply(this, args as any)
    } as typeof listen
    try {
      // the server reads nothing but the data directory until a request comes
      server = await startControlServer({ dataDir } as unknown as Parley, defaultLogger().forComponent('test'))
    } finally {
      Server.prototype.listen = listen
      process.umask(previousUmask)
    }
    assert.equal(modes.length, 1, 'listened once')
    assert.equal(modes[0] & 0o077, 0, `mode at listen: ${modes[0].toString(8)}`)
    assert.equal(statSync(path).mode & 0o777, 0o600)
    assert.equal(process.umask(), previousUmask, 'the umask is restored')
  })
})
