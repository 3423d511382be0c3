import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { equals } from 'uint8arrays/equals'
import { ANNOUNCED_EPOCHS, MailboxAddresses } from '../../src/messenger/mailbox-addresses.ts'
import { MailboxIdentities } from '../../src/protocols/mailbox/identities.ts'
import { MAILBOX_EPOCH_MS } from '../../src/protocols/mailbox/keys.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { MailboxAddresses as AnnouncedAddresses } from '../../src/messenger/pb/content.ts'
import type { Db } from '../../src/storage/tables.ts'

const PEER = '12D3KooWEd5bjz7DzZFh32ptNpkM5PRdwA39QgHSau4HaZwSeDXn'
const EPOCH = 2_900

describe('mailbox identities between peers', () => {
  let store: LevelStore
  let now: number
  let mine: MailboxAddresses
  let theirs: MailboxIdentities
  let known: Set<string>

  beforeEach(async () => {
    store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
    await store.open()
    now = EPOCH * MAILBOX_EPOCH_MS + 1_000
    known = new Set([PEER])
    mine = new MailboxAddresses({ store: store.mailboxAddresses, identities: new MailboxIdentities(await generateKeyPair('Ed25519')), knows: async peer => known.has(peer), log: defaultLogger().forComponent('test') }, () => now)
    theirs = new MailboxIdentities(await generateKeyPair('Ed25519'))
  })
  afterEach(async () => { await store.close() })

  /** What the peer announces: its identities of `epochs` */
  const announcement = async (...epochs: number[]): Promise<AnnouncedAddresses> =>
    ({ addresses: await Promise.all(epochs.map(async epoch => ({ epoch, publicKey: new Uint8Array((await theirs.forEpoch(epoch)).privateKey.publicKey.raw) }))) })

  const learn = async (announced: AnnouncedAddresses): Promise<boolean> => {
    const write = await mine.learnWrite(PEER, announced)
    if (write == null) return false
    await store.apply([write])
    return true
  }

  it('announce this epoch\'s and the next identity once per window, and again when the window moves on', async () => {
    const first = await mine.announcementFor(PEER)
    assert.deepEqual(first?.mailbox.addresses.map(a => a.epoch), [EPOCH, EPOCH + 1])
    assert.equal(first?.through, EPOCH + ANNOUNCED_EPOCHS - 1)
    await mine.announced(PEER, first.through)
    assert.equal(await mine.announcementFor(PEER), undefined)
    assert.ok(await mine.announcementFor(PEER, { always: true }), 'an announcement alone always carries them')
    now += MAILBOX_EPOCH_MS
    assert.deepEqual((await mine.announcementFor(PEER))?.mailbox.addresses.map(a => a.epoch), [EPOCH + 1, EPOCH + 2])
  })

  it('mail for a peer goes under its identity of the current epoch, once it announced one; before, nowhere but its PeerId', async () => {
    assert.equal(await mine.addressOf(PEER), undefined)
    assert.equal(await learn(await announcement(EPOCH, EPOCH + 1)), true)
    const address = await mine.addressOf(PEER)
    assert.equal(address?.epoch, EPOCH)
    assert.ok(address?.peerId.equals((await theirs.forEpoch(EPOCH)).peerId))
    now += MAILBOX_EPOCH_MS
    assert.ok((await mine.addressOf(PEER))?.peerId.equals((await theirs.forEpoch(EPOCH + 1)).peerId))
    now += MAILBOX_EPOCH_MS
    assert.equal(await mine.addressOf(PEER), undefined, 'out of date: the PeerId\'s mailbox again')
  })

  it('with no identity for now, mail goes to the requests mailbox the peer\'s prekey bundle named', async () => {
    const requests = await theirs.requests()
    await store.mailboxAddresses.setRequests(PEER, requests.publicKey.raw)
    const address = await mine.addressOf(PEER)
    assert.ok(address?.peerId.equals(peerIdFromPrivateKey(requests)))
    assert.equal(address?.epoch, EPOCH)
    await learn(await announcement(EPOCH))
    assert.ok((await mine.addressOf(PEER))?.peerId.equals((await theirs.forEpoch(EPOCH)).peerId), 'an announced identity comes first')
  })

  it('keep only well-formed identities of epochs around now, a few at most, and write nothing for a repeat', async () => {
    assert.equal(await learn(await announcement(EPOCH, EPOCH + 1)), true)
    assert.equal(await learn(await announcement(EPOCH, EPOCH + 1)), false, 'a repeat changes nothing')
    const bad = {
      addresses: [
        { epoch: EPOCH, publicKey: new Uint8Array(31) },
        { epoch: EPOCH - 5, publicKey: new Uint8Array(32) },
        { epoch: EPOCH + 100, publicKey: new Uint8Array(32) }
      ]
    }
    assert.equal(await learn(bad), false)
    now += MAILBOX_EPOCH_MS
    assert.equal(await learn(await announcement(EPOCH + 2, EPOCH + 3, EPOCH + 4)), true)
    const kept = await store.mailboxAddresses.theirs(PEER)
    assert.deepEqual(kept.map(a => a.epoch), [EPOCH + 4, EPOCH + 3, EPOCH + 2, EPOCH + 1], 'the newest four, none before the last epoch')
    assert.ok(equals(kept[0].publicKey, (await theirs.forEpoch(EPOCH + 4)).privateKey.publicKey.raw))
  })

  it('are told to no stranger (a request not accepted, a blocked peer): its mail goes on to the requests mailbox', async () => {
    known.clear()
    assert.equal(await mine.announcementFor(PEER), undefined)
    assert.equal(await mine.announcementFor(PEER, { always: true }), undefined)
    await learn(await announcement(EPOCH, EPOCH + 1))
    assert.deepEqual(await mine.due(), [])
    known.add(PEER)
    assert.deepEqual(await mine.due(), [{ peer: PEER, through: EPOCH + 1 }], 'once accepted')
  })

  it('are due alone to a peer that announced its own and was told nothing this window', async () => {
    assert.deepEqual(await mine.due(), [], 'nobody announced: nobody is due')
    await learn(await announcement(EPOCH, EPOCH + 1))
    assert.deepEqual(await mine.due(), [{ peer: PEER, through: EPOCH + 1 }])
    await mine.announced(PEER, EPOCH + 1)
    assert.deepEqual(await mine.due(), [])
    now += MAILBOX_EPOCH_MS
    assert.deepEqual(await mine.due(), [{ peer: PEER, through: EPOCH + 2 }])
  })
})
