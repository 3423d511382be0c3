import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import fc from 'fast-check'
import { epochAt, mailboxKey, recentEpochs, MAILBOX_EPOCH_MS } from '../../../src/protocols/mailbox/keys.ts'
import type { PeerId } from '@libp2p/interface'

const DAY_MS = 24 * 60 * 60 * 1_000
const TTL_MS = 14 * DAY_MS

/** The key as specified, computed with node:crypto rather than the code under test */
function referenceKey (recipient: PeerId, epoch: number): Uint8Array {
  const multihash = recipient.toMultihash().bytes
  const length = Buffer.alloc(4)
  length.writeUInt32BE(multihash.byteLength)
  const epochBytes = Buffer.alloc(4)
  epochBytes.writeUInt32BE(epoch)
  return createHash('sha256').update('parley/mailbox-key/v1').update(length).update(multihash).update(epochBytes).digest()
}

describe('mailbox keys', () => {
  let alice: PeerId
  let bob: PeerId

  before(async () => {
    alice = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    bob = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  })

  it('epochs are weeks since the Unix epoch', () => {
    assert.equal(MAILBOX_EPOCH_MS, 7 * DAY_MS)
    assert.equal(epochAt(0), 0)
    assert.equal(epochAt(MAILBOX_EPOCH_MS - 1), 0)
    assert.equal(epochAt(MAILBOX_EPOCH_MS), 1)
    assert.equal(epochAt(Date.UTC(2026, 0, 1)), Math.floor(Date.UTC(2026, 0, 1) / MAILBOX_EPOCH_MS))
    assert.equal(epochAt(25, 10), 2)
    assert.throws(() => epochAt(25, 0), RangeError)
    assert.throws(() => epochAt(Number.NaN), RangeError)
  })

  it('a key is SHA-256 over the label, the length-prefixed multihash and the u32be epoch', () => {
    for (const epoch of [0, 1, 2_900, 0xffff_ffff]) {
      const key = mailboxKey(alice, epoch)
      assert.equal(key.byteLength, 32)
      assert.deepEqual(key, new Uint8Array(referenceKey(alice, epoch)))
    }
  })

  it('keys differ per recipient and per epoch', () => {
    assert.deepEqual(mailboxKey(alice, 7), mailboxKey(alice, 7))
    assert.notDeepEqual(mailboxKey(alice, 7), mailboxKey(alice, 8))
    assert.notDeepEqual(mailboxKey(alice, 7), mailboxKey(bob, 7))
  })

  it('an epoch that does not fit a u32 is a RangeError, not a silently wrapped key', () => {
    for (const epoch of [-1, 1.5, 0x1_0000_0000, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) {
      assert.throws(() => mailboxKey(alice, epoch), RangeError, String(epoch))
    }
  })

  it('recent epochs run newest first over the TTL: three for 14 days of weekly epochs', () => {
    assert.deepEqual(recentEpochs(100 * MAILBOX_EPOCH_MS + 5, TTL_MS), [100, 99, 98])
    assert.deepEqual(recentEpochs(100 * MAILBOX_EPOCH_MS, TTL_MS), [100, 99, 98])
    assert.deepEqual(recentEpochs(101 * MAILBOX_EPOCH_MS - 1, TTL_MS), [100, 99, 98])
    assert.deepEqual(recentEpochs(100 * MAILBOX_EPOCH_MS + 5, 0), [100])
    assert.deepEqual(recentEpochs(MAILBOX_EPOCH_MS + 5, TTL_MS), [1, 0], 'none before epoch 0')
    assert.deepEqual(recentEpochs(25, 20, 10), [2, 1, 0])
    assert.throws(() => recentEpochs(0, -1), RangeError)
  })

  it('every moment in the TTL window falls in one of the recent epochs, and each epoch listed overlaps the window', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 4_000_000_000_000 }),
      fc.integer({ min: 0, max: 60 * DAY_MS }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (now, ttl, at) => {
        const epochs = recentEpochs(now, ttl)
        const t = Math.max(0, Math.floor(now - ttl * at))
        assert.ok(epochs.includes(epochAt(t)), `stored at ${t} is covered`)
        for (const epoch of epochs) {
          assert.ok(epoch * MAILBOX_EPOCH_MS <= now && (epoch + 1) * MAILBOX_EPOCH_MS > now - ttl, `${epoch} overlaps`)
        }
        assert.deepEqual(epochs, [...epochs].sort((a, b) => b - a))
      }
    ))
  })
})
