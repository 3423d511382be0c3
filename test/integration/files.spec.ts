import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { appendFile, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fromString } from 'uint8arrays/from-string'
import { TempDirs } from '../helpers/temp-dir.ts'
import { waitForEvent } from '../helpers/events.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import { transferState } from '../helpers/transfers.ts'
import { sealChunk } from '../../src/files/chunk-cipher.ts'
import { ChunkSet } from '../../src/files/chunk-set.ts'
import { chunkCount } from '../../src/files/tree.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import { CHUNK_BYTES } from '../../src/files/constants.ts'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import type { Parley } from '../../src/parley.ts'
import type { FileResolver } from '../../src/protocols/file/index.ts'
import type { TransferRecord } from '../../src/storage/types.ts'

async function sha256Of (path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk)
  return hash.digest('hex')
}

/** The chunks a stopped node's transfer holds, read from its database */
async function heldChunks (dataDir: string, id: string): Promise<ChunkSet> {
  const store = new LevelStore(join(dataDir, 'messages'))
  await store.open()
  try {
    const record = await store.files.get(id)
    return new ChunkSet(chunkCount(record!.size), fromString(record!.have!, 'base64'))
  } finally {
    await store.close()
  }
}

/** Counts each chunk index `node` serves from now on */
function countServed (node: Parley): Map<number, number> {
  const served = new Map<number, number>()
  const real = realResolver(node)
  node.node.services.file.setResolver(async (fileId, from, options) => {
    const source = await real(fileId, from, options)
    return {
      ...source,
      chunk: async (index, opts) => {
        served.set(index, (served.get(index) ?? 0) + 1)
        return source.chunk(index, opts)
      }
    }
  })
  return served
}

/** The file service's real resolver, to wrap as a misbehaving sender would */
function realResolver (node: Parley): FileResolver {
  const files = node.files as unknown as { resolve: FileResolver }
  return files.resolve.bind(node.files)
}

describe('file sharing between real nodes over TCP on 127.0.0.1', function () {
  this.timeout(180_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()
  let dirA: string
  let dirB: string
  let work: string
  let a: Parley
  let b: Parley

  before(async () => {
    // the relay hosts mail, for the offer to an offline recipient
    await net.startRelay(await dirs.make(), true)
    dirA = await dirs.make()
    dirB = await dirs.make()
    work = await dirs.make()
    a = await net.start(dirA)
    b = await net.start(dirB)
  })

  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('holds a stranger\'s file until the sender is accepted, then it arrives byte-identical and both sides end done', async () => {
    const source = join(work, 'notes.bin')
    await writeFile(source, randomBytes(3 * CHUNK_BYTES + 12_345))
    const offered = waitForEvent<TransferRecord>(b.files!, 'transfer', t => t.direction === 'in')
    const { transfer, message } = await a.files!.send(b.peerId, source)
    assert.equal(message.status, 'delivered')
    assert.equal(message.file?.id, transfer.id)
    assert.ok(!('key' in transfer), 'the key is not shown')
    const first = await offered
    assert.equal(first.name, 'notes.bin')
    assert.equal(first.state, 'offered', 'a stranger\'s file waits until the user accepts the sender')
    await b.messenger.accept(a.peerId)
    const done = await transferState(b, transfer.id, 'done')
    assert.equal(done.path, join(dirB, 'downloads', 'notes.bin'))
    assert.equal(await sha256Of(done.path), await sha256Of(source))
    assert.equal((await stat(done.path)).size, transfer.size)
    await transferState(a, transfer.id, 'done')
    assert.deepEqual(await readdir(join(dirB, 'downloads', '.partial')), [])
    const history = await b.messenger.history({ peer: a.peerId.toString() })
    assert.equal(history.at(-1)?.file?.name, 'notes.bin')
  })

  it('a 100 MiB file stopped mid-way on both sides resumes after restarts without fetching a verified chunk again', async () => {
    const source = join(work, 'big.bin')
    await writeFile(source, randomBytes(100 * 1_048_576))
    const started = waitForEvent<TransferRecord>(b.files!, 'transfer', t => t.direction === 'in' && t.state === 'downloading' && t.bytes > 0)
    const { transfer } = await a.files!.send(b.peerId, source)
    await started
    // both stop while it runs: the receiver saves what it verified as it lets go
    await Promise.all([net.stop(b), net.stop(a)])
    const held = await heldChunks(dirB, transfer.id)
    assert.ok(held.count > 0 && !held.complete, `stopped mid-way (${held.count} of ${held.total} chunks held)`)
    // the sender first (the receiver is away, so nothing is asked yet), counting what it serves
    a = await net.start(dirA)
    const served = countServed(a)
    b = await net.start(dirB)
    const done = await transferState(b, transfer.id, 'done', 120_000)
    assert.equal(await sha256Of(done.path), await sha256Of(source))
    const refetched = [...served.keys()].filter(i => held.has(i))
    assert.deepEqual(refetched, [], 'no chunk the receiver held was served again')
    assert.equal(served.size, held.total - held.count, 'every missing chunk was served')
    assert.ok([...served.values()].every(n => n === 1), 'each once')
  })

  it('rejects corrupt and forged chunks, fetches them again, and still ends byte-identical', async () => {
    const source = join(work, 'lied.bin')
    await writeFile(source, randomBytes(12 * CHUNK_BYTES))
    const real = realResolver(a)
    const served = new Map<number, number>()
    const provider = defaultProvider()
    a.node.services.file.setResolver(async (fileId, from, options) => {
      const source = await real(fileId, from, options)
      const transfer = (await a.files!.list()).find(t => t.id === Buffer.from(fileId).toString('hex'))!
      const record = await (a.files as unknown as { files: { get: (id: string) => Promise<TransferRecord> } }).files.get(transfer.id)
      return {
        ...source,
        chunk: async (index, opts) => {
          const chunk = await source.chunk(index, opts)
          const times = (served.get(index) ?? 0) + 1
          served.set(index, times)
          if (times > 1) return chunk
          if (index === 2) chunk.ciphertext[10] ^= 0x01 // corrupt: fails decryption
          if (index === 5) {
            // forged: sealed under the real key, but not the file's bytes: fails the tree
            const sealed = await sealChunk(provider, fromString(record.key, 'base64'), fromString(record.root, 'base16'), index, new Uint8Array(CHUNK_BYTES))
            return { ...chunk, nonce: sealed.nonce as Uint8Array<ArrayBuffer>, ciphertext: sealed.ciphertext as Uint8Array<ArrayBuffer> }
          }
          if (index === 7) chunk.proof[0] = new Uint8Array(32) as Uint8Array<ArrayBuffer> // a proof that does not lead to the root
          return chunk
        }
      }
    })
    try {
      const { transfer } = await a.files!.send(b.peerId, source)
      const done = await transferState(b, transfer.id, 'done')
      assert.equal(await sha256Of(done.path), await sha256Of(source))
      assert.deepEqual([...served.entries()].filter(([, n]) => n > 1).map(([i]) => i).sort((x, y) => x - y), [2, 5, 7], 'exactly the bad chunks were fetched twice')
    } finally {
      a.node.services.file.setResolver(real)
    }
  })

  it('a partial file damaged on disk while the receiver was stopped fails the final check and is fetched again', async () => {
    const source = join(work, 'damaged.bin')
    await writeFile(source, randomBytes(40 * CHUNK_BYTES))
    const real = realResolver(a)
    const served = new Map<number, number>()
    // the sender holds back chunks from 20 on until the receiver has stopped
    let release!: () => void
    const released = new Promise<void>(resolve => { release = resolve })
    let reachedGate!: () => void
    const atGate = new Promise<void>(resolve => { reachedGate = resolve })
    a.node.services.file.setResolver(async (fileId, from, options) => {
      const source = await real(fileId, from, options)
      return {
        ...source,
        chunk: async (index, opts) => {
          if (index >= 20) {
            reachedGate()
            await released
          }
          served.set(index, (served.get(index) ?? 0) + 1)
          return source.chunk(index, opts)
        }
      }
    })
    try {
      const receiving = waitForEvent<TransferRecord>(b.files!, 'transfer', t => t.direction === 'in' && t.state === 'downloading' && t.bytes > 0)
      const { transfer } = await a.files!.send(b.peerId, source)
      await Promise.all([receiving, atGate])
      await net.stop(b)
      const held = await heldChunks(dirB, transfer.id)
      const damaged = [...Array(held.total).keys()].find(i => held.has(i))
      assert.ok(damaged != null && !held.complete, `stopped mid-way (${held.count} of ${held.total} chunks held)`)
      // a bit flipped on disk in a chunk the receiver recorded as verified
      const partial = join(dirB, 'downloads', '.partial', `${transfer.id}.part`)
      const bytes = await readFile(partial)
      bytes[damaged * CHUNK_BYTES + 100] ^= 0x01
      await writeFile(partial, bytes)
      release()
      b = await net.start(dirB)
      const done = await transferState(b, transfer.id, 'done')
      assert.equal(await sha256Of(done.path), await sha256Of(source))
      assert.ok((served.get(damaged) ?? 0) >= 2, `the damaged chunk ${damaged} was fetched again`)
    } finally {
      release()
      a.node.services.file.setResolver(real)
    }
  })

  it('saves a file named ../../.bashrc inside the download folder only, and never over an existing file', async () => {
    const source = join(work, 'payload.txt')
    await writeFile(source, 'echo pwned\n')
    const { transfer: honest } = await a.files!.send(b.peerId, source)
    // a lying sender names its file as it likes: the offer carries the name
    const record = await (a.files as unknown as { files: { get: (id: string) => Promise<TransferRecord>, put: (r: TransferRecord) => Promise<void> } }).files.get(honest.id)
    await transferState(b, honest.id, 'done')
    const evil: TransferRecord = { ...record, id: randomBytes(16).toString('hex'), name: '../../.bashrc', state: 'offered' }
    await a.messenger.sendFile(evil)
    const first = await transferState(b, evil.id, 'done')
    assert.equal(first.name, 'bashrc')
    assert.equal(first.path, join(dirB, 'downloads', 'bashrc'))
    const again: TransferRecord = { ...record, id: randomBytes(16).toString('hex'), name: '..\\..\\.bashrc', state: 'offered' }
    await a.messenger.sendFile(again)
    const second = await transferState(b, again.id, 'done')
    assert.equal(second.path, join(dirB, 'downloads', 'bashrc (2)'), 'a taken name gets a number')
    assert.deepEqual((await readdir(dirB)).filter(n => n.includes('bashrc')), [], 'nothing outside the download folder')
  })

  it('a sender whose file changed after the offer fails the transfer, and the receiver says why', async () => {
    const source = join(work, 'edited.bin')
    await writeFile(source, randomBytes(2 * CHUNK_BYTES))
    // the recipient is away when it is offered, so nothing is fetched before the edit
    await net.stop(b)
    const { transfer, message } = await a.files!.send(b.peerId, source)
    assert.equal(message.status, 'stored', 'the offer waits in the recipient\'s mailbox')
    await appendFile(source, 'more')
    b = await net.start(dirB)
    const failed = await transferState(b, transfer.id, 'failed')
    assert.match(failed.error ?? '', /changed since it was offered/)
    assert.equal((await a.files!.get(transfer.id)).state, 'failed')
  })

  it('an offer to an offline recipient goes through its mailbox and the file arrives once it is back', async () => {
    const source = join(work, 'later.bin')
    await writeFile(source, randomBytes(5 * CHUNK_BYTES + 1))
    await net.stop(b)
    const { transfer, message } = await a.files!.send(b.peerId, source)
    assert.equal(message.status, 'stored')
    b = await net.start(dirB)
    const done = await transferState(b, transfer.id, 'done')
    assert.equal(await sha256Of(done.path), await sha256Of(source))
    await transferState(a, transfer.id, 'done')
  })

  it('cancelling at one end cancels at the other and removes the partial file', async () => {
    const source = join(work, 'cancel.bin')
    await writeFile(source, randomBytes(2 * CHUNK_BYTES))
    // the sender holds its chunks back: the download cannot finish before the cancel arrives
    // (a file the recipient already has stays done)
    const real = realResolver(a)
    a.node.services.file.setResolver(async (_fileId, _from, options) => {
      return new Promise((_resolve, reject) => {
        options.signal?.addEventListener('abort', () => { reject(options.signal?.reason) })
      })
    })
    try {
      const { transfer } = await a.files!.send(b.peerId, source)
      const cancelledHere = await a.files!.cancel(transfer.id)
      assert.equal(cancelledHere.state, 'cancelled')
      const there = await transferState(b, transfer.id, 'cancelled')
      assert.equal(there.direction, 'in')
      assert.ok(!(await readdir(join(dirB, 'downloads', '.partial'))).some(n => n.startsWith(transfer.id)))
      await assert.rejects(b.files!.get('f'.repeat(32)), { name: 'UnknownTransferError' })
    } finally {
      a.node.services.file.setResolver(real)
    }
  })

  it('adding a stranger as a contact starts the download of what they offered', async () => {
    const c = await net.start(await dirs.make())
    const source = join(work, 'from-c.bin')
    await writeFile(source, randomBytes(CHUNK_BYTES + 7))
    const offered = waitForEvent<TransferRecord>(b.files!, 'transfer', t => t.peer === c.peerId.toString() && t.state === 'offered')
    const { transfer } = await c.files!.send(b.peerId, source)
    await offered
    await b.messenger.addContact(c.peerId, 'carol')
    const done = await transferState(b, transfer.id, 'done')
    assert.equal(await sha256Of(done.path), await sha256Of(source))
  })
})
