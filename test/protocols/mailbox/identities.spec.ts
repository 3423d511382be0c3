import assert from 'node:assert/strict'
import { generateKeyPair, generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { equals } from 'uint8arrays/equals'
import { MailboxIdentities } from '../../../src/protocols/mailbox/identities.ts'
import { mailboxKey } from '../../../src/protocols/mailbox/keys.ts'

describe('a user\'s mailbox identities', () => {
  it('are the same for the same identity key (a restart, a restored backup owns the same mailboxes)', async () => {
    const identity = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(7))
    const [one, two] = [new MailboxIdentities(identity), new MailboxIdentities(identity)]
    const [a, b] = [await one.forEpoch(2900), await two.forEpoch(2900)]
    assert.ok(a.peerId.equals(b.peerId))
    assert.ok(equals(a.key, b.key))
  })

  it('differ from epoch to epoch and from user to user, and none is the PeerId or its mailbox', async () => {
    const identity = await generateKeyPair('Ed25519')
    const other = await generateKeyPair('Ed25519')
    const mine = new MailboxIdentities(identity)
    const epochs = await Promise.all([2900, 2901, 2902].map(async e => mine.forEpoch(e)))
    const theirs = await new MailboxIdentities(other).forEpoch(2900)
    const peerId = peerIdFromPrivateKey(identity)
    const ids = new Set([...epochs, theirs].map(e => e.peerId.toString()))
    assert.equal(ids.size, 4)
    assert.ok(!ids.has(peerId.toString()))
    for (const e of epochs) {
      assert.ok(!equals(e.key, mailboxKey(peerId, e.epoch)), 'not the mailbox key of the PeerId')
      assert.ok(equals(e.key, mailboxKey(e.peerId, e.epoch)), 'the mailbox key of the epoch identity itself')
    }
  })

  it('sign as their own key: what a storer checks a fetch against', async () => {
    const identity = await new MailboxIdentities(await generateKeyPair('Ed25519')).forEpoch(1)
    const data = new TextEncoder().encode('challenge')
    assert.equal(await identity.peerId.publicKey!.verify(data, await identity.privateKey.sign(data)), true)
  })

  it('refuse an epoch that is not a u32', async () => {
    const identities = new MailboxIdentities(await generateKeyPair('Ed25519'))
    for (const epoch of [-1, 1.5, 2 ** 32, Number.NaN]) await assert.rejects(identities.forEpoch(epoch), RangeError)
  })
})
