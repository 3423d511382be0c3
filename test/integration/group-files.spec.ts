import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { TempDirs } from '../helpers/temp-dir.ts'
import { waitForEvent } from '../helpers/events.ts'
import { holds } from '../helpers/groups.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import { transferState } from '../helpers/transfers.ts'
import { CHUNK_BYTES } from '../../src/files/constants.ts'
import type { Parley } from '../../src/parley.ts'
import type { MessageRecord, TransferRecord } from '../../src/storage/types.ts'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** Asks `author` for chunk 0 of file `id` as `asker` would download it: resolves what the author answered */
async function ask (asker: Parley, author: Parley, id: string): Promise<string> {
  const exchange = asker.node.services.file
  const connection = await exchange.directConnection(author.peerId)
  try {
    for await (const chunk of exchange.fetch(connection, fromHex(id, 'base16'), [{ start: 0, end: 1 }])) return `chunk ${chunk.index}`
    return 'nothing'
  } catch (err: any) {
    return err.name
  }
}

describe('files in groups between real nodes', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()

  before(async () => {
    await net.startRelay(await dirs.make(), true)
  })

  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('a file offered to a group reaches every member byte-identical; the author serves members only, and stops serving a removed one', async () => {
    const [alice, bob, carol, dave] = await Promise.all(Array.from({ length: 4 }, async () => net.start(await dirs.make())))
    const group = await alice.groups.create('Photographers')
    await alice.groups.add(group.id, [bob.peerId, carol.peerId])
    for (const member of [bob, carol]) await holds(member, group.id, s => s.members.length === 3, 'a member to get the group')

    const bytes = randomBytes(2 * CHUNK_BYTES + 1234)
    const source = join(await dirs.make(), 'harbour.jpg')
    await writeFile(source, bytes)
    const offers = [bob, carol].map(async m => waitForEvent<MessageRecord>(m.groupMessaging, 'message', r => r.file?.name === 'harbour.jpg', 30_000))
    const { transfer, message } = await alice.files!.sendToGroup('Photographers', source)
    assert.equal(message.conversation, group.id)
    assert.deepEqual(message.file, { id: transfer.id, name: 'harbour.jpg', size: bytes.byteLength, type: 'image/jpeg' })

    for (const [member, offered] of [[bob, offers[0]], [carol, offers[1]]] as const) {
      const received = await offered
      assert.equal(received.peer, alice.peerId.toString())
      assert.equal(received.conversation, group.id)
      const done = await transferState(member, transfer.id, 'done').catch(async err => { throw new Error(JSON.stringify(await member.files!.list()) + err.message) })
      assert.equal(done.group, group.id)
      assert.equal(done.peer, alice.peerId.toString())
      assert.equal(sha256(await readFile(done.path)), sha256(bytes))
    }
    // many recipients: the offer stays open for members who fetch it later
    assert.equal((await alice.files!.get(transfer.id)).state, 'offered')

    // someone outside the group who learnt the file's id is refused, as is a member once removed
    assert.equal(await ask(dave, alice, transfer.id), 'FileRefusedError')
    assert.equal(await ask(carol, alice, transfer.id), 'chunk 0')
    await alice.groups.remove(group.id, carol.peerId)
    assert.equal(await ask(carol, alice, transfer.id), 'FileRefusedError')
    assert.equal(await ask(bob, alice, transfer.id), 'chunk 0')
  })

  it('a file offered as bytes (as the web app does) reaches a member; deleting it for everyone takes it back', async () => {
    const [alice, bob] = await Promise.all(Array.from({ length: 2 }, async () => net.start(await dirs.make())))
    const group = await alice.groups.create('Knitters')
    await alice.groups.add(group.id, [bob.peerId])
    await holds(bob, group.id, s => s.members.length === 2, 'Bob to get the group')

    const bytes = randomBytes(5000)
    const { transfer, message } = await alice.files!.sendBlobToGroup(group.id, new Blob([bytes]), { name: 'pattern.pdf' })
    const done = await transferState(bob, transfer.id, 'done').catch(async err => { throw new Error(`Bob to receive it (${JSON.stringify(await bob.files!.list())}): ${err.message}`) })
    assert.equal(sha256(await readFile(done.path)), sha256(bytes))

    const erased = waitForEvent<TransferRecord>(bob.files!, 'transfer', t => t.id === transfer.id && t.path === '', 30_000)
    await alice.groupMessaging.deleteForEveryone(group.id, message.id)
    await erased.catch(err => { throw new Error(`the received file to be deleted with the message: ${err.message}`) })
    await transferState(alice, transfer.id, 'cancelled').catch(async err => { throw new Error(`Alice's offer to end (${JSON.stringify(await alice.files!.list())}): ${err.message}`) })
    await assert.rejects(readFile(done.path), { code: 'ENOENT' })
    assert.equal(await ask(bob, alice, transfer.id), 'FileRefusedError')
  })
})
