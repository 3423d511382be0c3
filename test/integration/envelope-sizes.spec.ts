import assert from 'node:assert/strict'
import { TempDirs } from '../helpers/temp-dir.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import type { Parley } from '../../src/parley.ts'

/** Text lengths, 1 to 10,000 characters, each bucket's edges among them */
const LENGTHS = [1, 2, 10, 50, 100, 150, 180, 200, 230, 250, 300, 400, 500, 700, 900, 1_000, 1_500, 2_000, 2_500, 3_000, 4_000, 5_000, 6_000, 8_000, 9_000, 10_000]

/**
 * What a network observer (or the peer carrying a relayed connection's bytes, or a mailbox
 * storer) sees of a message is its envelope's size: the sizes of steady-state envelopes (after
 * the first reply, when no session set-up rides along) fall in a handful of buckets, one per
 * padding bucket, whatever the text's length within it and however many messages came before
 */
describe('envelope sizes on the wire', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()
  let alice: Parley
  let bob: Parley
  const sizes: number[] = []

  before(async () => {
    await net.startRelay(await dirs.make())
    alice = await net.start(await dirs.make())
    bob = await net.start(await dirs.make())
    await alice.messenger.addContact(bob.peerId, 'Bob')
    await bob.messenger.addContact(alice.peerId, 'Alice')
    await alice.messenger.send(bob.peerId, 'hello')
    await bob.messenger.send(alice.peerId, 'hi')
    const chat = alice.node.services.chat
    const send = chat.send.bind(chat)
    chat.send = async (peer, message, options) => {
      sizes.push(message.envelope.byteLength)
      return send(peer, message, options)
    }
  })

  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('text of 1 to 10,000 characters, in steady state: one envelope size per padding bucket, seven in all', async () => {
    for (const round of [0, 1]) {
      // the second round after 140 more messages: counters past one byte change nothing
      if (round === 1) for (let i = 0; i < 140; i++) await alice.messenger.send(bob.peerId, 'x')
      const from = sizes.length
      for (const length of LENGTHS) await alice.messenger.send(bob.peerId, 'a'.repeat(length))
      const seen = [...new Set(sizes.slice(from))].sort((a, b) => a - b)
      process.stdout.write(`      round ${round}: ${LENGTHS.length} texts in ${seen.length} envelope sizes: ${seen.join(', ')}\n`)
      assert.ok(seen.length <= 7, `${seen.length} sizes: ${seen.join(', ')}`)
    }
  })
})
