import assert from 'node:assert/strict'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { Level } from 'level'
import { toString as toHex } from 'uint8arrays/to-string'
import { MailboxNetwork, heldByReplicas, inboxHas } from '../helpers/mailbox-network.ts'
import { mailboxKey, recentEpochs, TTL_MS } from '../../src/protocols/mailbox/index.ts'
import { MESSAGES_DIR } from '../../src/storage/constants.ts'

/** Every key and value of a stopped node's database, raw */
async function everything (dataDir: string): Promise<Buffer[]> {
  const db = new Level<Buffer, Buffer>(join(dataDir, MESSAGES_DIR), { keyEncoding: 'buffer', valueEncoding: 'buffer' })
  try {
    return (await db.iterator().all()).flat()
  } finally {
    await db.close()
  }
}

describe('a storer examined as its operator would, after a realistic run', function () {
  this.timeout(180_000)
  let net: MailboxNetwork

  beforeEach(() => { net = new MailboxNetwork() })
  afterEach(async () => { await net.cleanup() })

  it('B offline, A (who wrote with B before) and a stranger C leave mail, B fetches it: the storers\' databases hold no PeerId of A, B or C, and no mailbox key of theirs but B\'s requests key', async () => {
    await net.startStorers(4)
    const [dirA, dirB, dirC] = [await net.dirs.make(), await net.dirs.make(), await net.dirs.make()]
    const a = await net.startUser(dirA)
    let b = await net.startUser(dirB)
    await Promise.all([a, b].map(async n => n.node.services.prekeys.published))
    // A and B have written to each other: each knows the other's mailbox identities
    assert.equal((await b.messenger.send(a.peerId, 'hi A')).status, 'delivered')
    await inboxHas(a, b, 1)
    assert.equal((await a.messenger.send(b.peerId, 'hi B')).status, 'delivered')
    await inboxHas(b, a, 1)
    const requests = peerIdFromPrivateKey(await b.node.services.mailbox.identities.requests())
    await net.stop(b)

    const c = await net.startUser(dirC)
    const fromA = await a.messenger.send(b.peerId, 'from A while B is away')
    const fromC = await c.messenger.send(b.peerId, 'from a stranger')
    await heldByReplicas(a, b, fromA.id)
    await heldByReplicas(c, b, fromC.id)
    await net.stop(a)
    await net.stop(c)

    b = await net.startUser(dirB)
    assert.ok((await inboxHas(b, a, 2)).some(m => m.text === 'from A while B is away'))
    assert.ok((await inboxHas(b, c, 1)).some(m => m.text === 'from a stranger'))
    await net.stop(b)

    // what could name them: each PeerId as a string and as bytes (multihash, raw public key),
    // and each mailbox key a storer could work out from a PeerId it knows
    const epochs = recentEpochs(Date.now(), TTL_MS)
    const names: Array<{ what: string, bytes: Buffer }> = []
    for (const [who, node] of [['A', a], ['B', b], ['C', c]] as const) {
      names.push({ what: `${who}'s PeerId`, bytes: Buffer.from(node.peerId.toString()) })
      names.push({ what: `${who}'s PeerId bytes`, bytes: Buffer.from(node.peerId.toMultihash().bytes) })
      names.push({ what: `${who}'s public key`, bytes: Buffer.from(node.peerId.publicKey!.raw) })
      for (const epoch of epochs) {
        const key = mailboxKey(node.peerId, epoch)
        names.push({ what: `${who}'s PeerId mailbox key`, bytes: Buffer.from(key) }, { what: `${who}'s PeerId mailbox key (hex)`, bytes: Buffer.from(toHex(key, 'base16')) })
      }
    }
    let sawRequests = false
    for (const [i, storer] of net.storers.entries()) {
      if (net.running.has(storer)) await net.stop(storer)
      const entries = await everything(net.storerDirs[i])
      for (const entry of entries) {
        for (const { what, bytes } of names) assert.ok(!entry.includes(bytes), `storer ${i} holds ${what}`)
      }
      // the one mailbox a storer can tie to B, by looking its prekey record up: the stranger's way in
      sawRequests ||= entries.some(e => epochs.some(epoch => e.includes(Buffer.from(toHex(mailboxKey(requests, epoch), 'base16')))))
    }
    assert.ok(sawRequests, 'the stranger\'s mail went to B\'s requests mailbox (its tombstone is left)')
  })
})
