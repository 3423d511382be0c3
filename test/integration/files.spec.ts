import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TempDirs } from '../helpers/temp-dir.ts'
import { waitForEvent } from '../helpers/events.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import type { Parley } from '../../src/parley.ts'
import type { TransferRecord } from '../../src/storage/types.ts'

async function sha256Of (path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk)
  return hash.digest('hex')
}

/** Resolves when `node`'s transfer `id` reaches `state` */
async function transferState (node: Parley, id: string, state: TransferRecord['state'], timeoutMs = 60_000): Promise<TransferRecord> {
  const seen = waitForEvent<TransferRecord>(node.files!, 'transfer', t => t.id === id && t.state === state, timeoutMs)
  const now = await node.files!.get(id).catch(() => undefined)
  if (now?.state === state) return now as TransferRecord
  return seen
}

describe('file sharing between real nodes over TCP on 127.0.0.1', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()
  let dirA: string
  let dirB: string
  let work: string

  before(async () => {
    await net.startRelay(await dirs.make())
    dirA = await dirs.make()
    dirB = await dirs.make()
    work = await dirs.make()
  })

  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('sends a file that arrives byte-identical in the download folder, and both sides end done', async () => {
    const a = await net.start(dirA)
    const b = await net.start(dirB)
    const source = join(work, 'notes.bin')
    await writeFile(source, randomBytes(3 * 256 * 1_024 + 12_345))
    const offered = waitForEvent<TransferRecord>(b.files!, 'transfer', t => t.direction === 'in')
    const { transfer, message } = await a.files!.send(b.peerId, source)
    assert.equal(message.status, 'delivered')
    assert.equal(message.file?.id, transfer.id)
    const first = await offered
    assert.equal(first.name, 'notes.bin')
    assert.equal(first.state, 'offered', 'a stranger\'s file waits until the user accepts the sender')
    await b.messenger.accept(a.peerId)
    const done = await transferState(b, transfer.id, 'done')
    assert.equal(done.path, join(dirB, 'downloads', 'notes.bin'))
    assert.equal(await sha256Of(done.path), await sha256Of(source))
    const sent = await transferState(a, transfer.id, 'done')
    assert.equal(sent.direction, 'out')
    assert.deepEqual(await readdir(join(dirB, 'downloads', '.partial')), [])
    const history = await b.messenger.history({ peer: a.peerId.toString() })
    assert.equal(history.at(-1)?.file?.name, 'notes.bin')
    assert.equal((await stat(done.path)).size, transfer.size)
  })
})
