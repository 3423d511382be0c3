import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { TempDirs } from '../helpers/temp-dir.ts'
import { waitForEvent } from '../helpers/events.ts'
import { connectedTo, startNode } from '../helpers/nodes.ts'
import { CHUNK_BYTES } from '../../src/files/constants.ts'
import type { Parley } from '../../src/parley.ts'
import type { FileResolver } from '../../src/protocols/file/index.ts'
import type { TransferRecord } from '../../src/storage/types.ts'

const run = promisify(execFile)

async function sha256Of (path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk)
  return hash.digest('hex')
}

/** Writes into `path` until the disk says it is full */
async function fillDisk (path: string): Promise<void> {
  const handle = await open(path, 'w')
  const block = new Uint8Array(1_048_576)
  try {
    for (;;) await handle.write(block)
  } catch (err: any) {
    if (err.code !== 'ENOSPC') throw err
  } finally {
    await handle.close()
  }
}

/**
 * A download folder on a small tmpfs that fills up mid-way: the download pauses with a clear
 * error, nothing lands outside the folder, and once there is room it resumes from the chunks it
 * verified and ends byte-identical. Mounting needs root (as CI runs); skipped otherwise.
 */
describe('file sharing onto a disk that fills up', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  let mountPoint: string | undefined
  let a: Parley | undefined
  let b: Parley | undefined

  before(async function () {
    if (process.getuid?.() !== 0) this.skip()
    mountPoint = await dirs.make()
    try {
      await run('mount', ['-t', 'tmpfs', '-o', 'size=128m,mode=0700', 'tmpfs', mountPoint])
    } catch (err: any) {
      mountPoint = undefined
      // a container without the right to mount: nothing to test here
      if (/permission denied|not permitted|only root/i.test(err.stderr ?? err.message)) this.skip()
      throw err
    }
  })

  after(async () => {
    await b?.stop().catch(() => {})
    await a?.stop().catch(() => {})
    if (mountPoint != null) await run('umount', [mountPoint])
    await dirs.cleanup()
  })

  it('pauses with DiskFullError when the disk fills mid-way, and resumes to a byte-identical file once there is room', async () => {
    a = await startNode({ dataDir: await dirs.make() })
    const downloads = join(mountPoint!, 'downloads')
    b = await startNode({ dataDir: await dirs.make(), downloadDir: downloads, bootstrap: a.addresses() })
    await connectedTo(b, a.peerId)
    await b.messenger.addContact(a.peerId, 'a')

    // the sender holds chunk 40 back until the disk is full, so the failure comes mid-way
    const files = a.files as unknown as { resolve: FileResolver }
    const real = files.resolve.bind(a.files)
    const { promise: diskFull, resolve: filled } = Promise.withResolvers<void>()
    const { promise: reached, resolve: reach } = Promise.withResolvers<void>()
    const served = new Map<number, number>()
    a.node.services.file.setResolver(async (fileId, from, options) => {
      const source = await real(fileId, from, options)
      return {
        ...source,
        chunk: async (index, opts) => {
          served.set(index, (served.get(index) ?? 0) + 1)
          if (index === 40) {
            reach()
            await diskFull
          }
          return source.chunk(index, opts)
        }
      }
    })

    const source = join(await dirs.make(), 'big.bin')
    await writeFile(source, randomBytes(160 * CHUNK_BYTES))
    const paused = waitForEvent<TransferRecord>(b.files!, 'transfer', t => t.direction === 'in' && t.state === 'paused', 60_000)
    const { transfer } = await a.files!.send(b.peerId, source)
    await reached
    const filler = join(mountPoint!, 'filler')
    await fillDisk(filler)
    filled()

    const stopped = await paused
    assert.equal(stopped.id, transfer.id)
    assert.match(stopped.error ?? '', /disk is full|MiB free/)
    assert.ok(stopped.bytes > 0 && stopped.bytes < transfer.size, `kept the verified chunks: ${stopped.bytes} bytes`)
    assert.deepEqual((await readdir(mountPoint!)).sort(), ['downloads', 'filler'], 'nothing outside the download folder')
    assert.deepEqual(await readdir(downloads), ['.partial'], 'no finished file yet')

    await rm(filler)
    const before = new Map(served)
    await b.files!.resume(transfer.id)
    const done = await waitForEvent<TransferRecord>(b.files!, 'transfer', t => t.id === transfer.id && t.state === 'done', 60_000)
    assert.equal(done.path, join(downloads, 'big.bin'))
    assert.equal(await sha256Of(done.path), await sha256Of(source))
    const heldChunks = Math.floor(stopped.bytes / CHUNK_BYTES)
    const refetched = [...served.keys()].filter(i => i < heldChunks && served.get(i)! > (before.get(i) ?? 0))
    assert.deepEqual(refetched, [], 'no chunk verified before the disk filled was fetched again')
  })
})
