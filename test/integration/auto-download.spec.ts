import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { waitForEvent } from '../helpers/events.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import { transferState } from '../helpers/transfers.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import { CHUNK_BYTES } from '../../src/files/constants.ts'
import type { TransferRecord } from '../../src/storage/types.ts'

describe('automatic downloads have a size limit', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()
  // a small limit stands for the default 2 GiB
  const LIMIT = 2 * CHUNK_BYTES

  before(async () => { await net.startRelay(await dirs.make()) })
  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('a contact\'s file up to the limit downloads at once; a larger one waits for the user, as a stranger\'s does', async () => {
    // a contact could fill the disk: every offer of theirs downloaded at once, whatever its size
    const work = await dirs.make()
    const sender = await net.start(await dirs.make())
    const receiver = await net.start(await dirs.make(), { autoDownloadBytes: LIMIT })
    await receiver.messenger.addContact(sender.peerId, 'Sam')
    await sender.messenger.addContact(receiver.peerId, 'Rae')

    const small = join(work, 'small.bin')
    const large = join(work, 'large.bin')
    await writeFile(small, randomBytes(LIMIT))
    await writeFile(large, randomBytes(LIMIT + 1))
    const smallOffer = await sender.files!.send(receiver.peerId, small)
    const largeOffered = waitForEvent<TransferRecord>(receiver.files!, 'transfer', t => t.name === 'large.bin')
    const largeOffer = await sender.files!.send(receiver.peerId, large)
    await transferState(receiver, smallOffer.transfer.id, 'done')
    assert.equal((await largeOffered).state, 'offered', 'over the limit: it waits')
    assert.equal((await receiver.files!.get(largeOffer.transfer.id)).state, 'offered')

    // accepting the sender again does not start it either; resuming it does
    await receiver.messenger.accept(sender.peerId)
    assert.equal((await receiver.files!.get(largeOffer.transfer.id)).state, 'offered')
    await receiver.files!.resume(largeOffer.transfer.id)
    await transferState(receiver, largeOffer.transfer.id, 'done')
  })
})
