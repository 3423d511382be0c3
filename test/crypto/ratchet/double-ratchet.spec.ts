import assert from 'node:assert/strict'
import fc from 'fast-check'
import { equals } from 'uint8arrays/equals'
import { defaultProvider } from '../../../src/crypto/provider/index.ts'
import { MAX_SKIP, MAX_SKIPPED_KEYS } from '../../../src/crypto/ratchet/constants.ts'
import { DoubleRatchet } from '../../../src/crypto/ratchet/double-ratchet.ts'
import type { EncryptedMessage } from '../../../src/crypto/ratchet/double-ratchet.ts'

const provider = defaultProvider()
const encoder = new TextEncoder()
const decoder = new TextDecoder()

async function pair (): Promise<{ alice: DoubleRatchet, bob: DoubleRatchet }> {
  const sharedKey = provider.randomBytes(32)
  const bobRatchet = await provider.x25519GenerateKeyPair()
  const ad = provider.randomBytes(64)
  return {
    alice: await DoubleRatchet.initSender(provider, sharedKey, bobRatchet.publicKey, ad),
    bob: DoubleRatchet.initReceiver(provider, sharedKey, bobRatchet, ad)
  }
}

const text = (s: string): Uint8Array => encoder.encode(s)

/** The state must be exactly as it was: compares the serialised session byte for byte */
async function assertUnchanged (ratchet: DoubleRatchet, attempt: () => Promise<unknown>, name: string): Promise<void> {
  const before = ratchet.serialize()
  await assert.rejects(attempt(), { name })
  assert.ok(equals(ratchet.serialize(), before), 'session state changed on a failed decrypt')
}

describe('Double Ratchet', function () {
  it('carries a conversation both ways, with a ratchet step at each turn', async () => {
    const { alice, bob } = await pair()
    assert.equal(bob.canSend, false, 'Bob sends only after he first hears from Alice')
    for (let turn = 0; turn < 5; turn++) {
      const [from, to] = turn % 2 === 0 ? [alice, bob] : [bob, alice]
      for (let i = 0; i < 3; i++) {
        const m = await from.encrypt(text(`turn ${turn} message ${i}`))
        assert.equal(decoder.decode(await to.decrypt(m)), `turn ${turn} message ${i}`)
      }
    }
    assert.ok(bob.canSend)
  })

  it('decrypts any order of messages with gaps up to MAX_SKIP, across chains', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
      fc.integer(),
      async (turns, seed) => {
        const { alice, bob } = await pair()
        const inFlight: Array<{ m: EncryptedMessage, plain: string }> = []
        // Alice sends several batches, learning Bob's new ratchet key in between
        for (const [t, count] of turns.entries()) {
          for (let i = 0; i < count; i++) {
            const plain = `${t}/${i}`
            inFlight.push({ m: await alice.encrypt(text(plain)), plain })
          }
          if (t === 0) {
            const first = inFlight.shift()!
            assert.equal(decoder.decode(await bob.decrypt(first.m)), first.plain)
          }
          if (bob.canSend) await alice.decrypt(await bob.encrypt(text('ack')))
        }
        const order = shuffled(inFlight, seed)
        for (const { m, plain } of order) {
          assert.equal(decoder.decode(await bob.decrypt(m)), plain)
        }
      }), { numRuns: 200 })
  })

  it('takes a gap of exactly MAX_SKIP, and refuses a larger one leaving the state byte-identical', async () => {
    const { alice, bob } = await pair()
    const messages: EncryptedMessage[] = []
    for (let i = 0; i <= MAX_SKIP + 1; i++) messages.push(await alice.encrypt(text(String(i))))
    await assertUnchanged(bob, async () => bob.decrypt(messages[MAX_SKIP + 1]), 'TooManySkippedMessagesError')
    assert.equal(decoder.decode(await bob.decrypt(messages[MAX_SKIP])), String(MAX_SKIP))
    assert.equal(decoder.decode(await bob.decrypt(messages[0])), '0', 'skipped keys were kept')
    assert.equal(decoder.decode(await bob.decrypt(messages[MAX_SKIP + 1])), String(MAX_SKIP + 1))
  })

  it('caps the skipped keys kept across chains, dropping the oldest', async () => {
    const { alice, bob } = await pair()
    const firstChain: EncryptedMessage[] = []
    for (let i = 0; i <= MAX_SKIP; i++) firstChain.push(await alice.encrypt(text(`a${i}`)))
    await bob.decrypt(firstChain[MAX_SKIP]) // skips MAX_SKIP keys of chain 1
    await alice.decrypt(await bob.encrypt(text('turn')))
    const secondChain: EncryptedMessage[] = []
    for (let i = 0; i <= MAX_SKIP; i++) secondChain.push(await alice.encrypt(text(`b${i}`)))
    await bob.decrypt(secondChain[MAX_SKIP]) // and MAX_SKIP more of chain 2: over the total cap
    await alice.decrypt(await bob.encrypt(text('turn')))
    const thirdChain: EncryptedMessage[] = []
    const half = MAX_SKIP / 2
    for (let i = 0; i <= half; i++) thirdChain.push(await alice.encrypt(text(`c${i}`)))
    await bob.decrypt(thirdChain[half]) // 2.5 x MAX_SKIP skipped in all: the oldest go
    const evicted = 2 * MAX_SKIP + half - MAX_SKIPPED_KEYS
    // an evicted key's message is not a repeat: taken for one, it was acked and silently lost
    await assertUnchanged(bob, async () => bob.decrypt(firstChain[evicted - 1]), 'SkippedKeyEvictedError')
    await assertUnchanged(bob, async () => bob.decrypt(firstChain[0]), 'SkippedKeyEvictedError')
    // one that did arrive still is a repeat, in an old chain as in the current one
    await assertUnchanged(bob, async () => bob.decrypt(firstChain[MAX_SKIP]), 'DuplicateMessageError')
    assert.equal(decoder.decode(await bob.decrypt(firstChain[evicted])), `a${evicted}`, 'younger keys are kept')
    await assertUnchanged(bob, async () => bob.decrypt(firstChain[evicted]), 'DuplicateMessageError')
    // and the record of what was evicted survives a restart
    const restored = DoubleRatchet.deserialize(provider, bob.serialize())
    await assert.rejects(restored.decrypt(firstChain[1]), { name: 'SkippedKeyEvictedError' })
    assert.equal(decoder.decode(await bob.decrypt(thirdChain[0])), 'c0')
  })

  it('rejects every delivered message when it is replayed, state unchanged', async () => {
    const { alice, bob } = await pair()
    const delivered: EncryptedMessage[] = []
    for (let turn = 0; turn < 4; turn++) {
      for (let i = 0; i < 3; i++) {
        const m = await alice.encrypt(text(`${turn}.${i}`))
        delivered.push(m)
        if (i !== 1) await bob.decrypt(m)
      }
      await bob.decrypt(delivered[delivered.length - 2]) // out of order: from the skipped keys
      await alice.decrypt(await bob.encrypt(text('reply')))
    }
    for (const m of delivered) {
      await assertUnchanged(bob, async () => bob.decrypt(m), 'DuplicateMessageError')
    }
  })

  it('rejects a single flipped bit anywhere in header, ciphertext or tag, state unchanged', async () => {
    const { alice, bob } = await pair()
    await bob.decrypt(await alice.encrypt(text('hello')))
    await alice.decrypt(await bob.encrypt(text('hi')))
    const m = await alice.encrypt(text('the message under test'))
    for (const part of ['header', 'ciphertext'] as const) {
      for (let bit = 0; bit < m[part].byteLength * 8; bit++) {
        const tampered = { ...m, [part]: m[part].slice() }
        tampered[part][bit >> 3] ^= 1 << (bit & 7)
        const before = bob.serialize()
        await assert.rejects(bob.decrypt(tampered), (err: any) => ['InvalidMessageError', 'TooManySkippedMessagesError', 'DuplicateMessageError'].includes(err.name))
        assert.ok(equals(bob.serialize(), before), `state changed after a flip of ${part} bit ${bit}`)
      }
    }
    assert.equal(decoder.decode(await bob.decrypt(m)), 'the message under test', 'the genuine message still decrypts')
  })

  it('rejects messages under another session\'s associated data', async () => {
    const sharedKey = provider.randomBytes(32)
    const bobRatchet = await provider.x25519GenerateKeyPair()
    const alice = await DoubleRatchet.initSender(provider, sharedKey, bobRatchet.publicKey, text('alice|bob'))
    const mallory = DoubleRatchet.initReceiver(provider, sharedKey, bobRatchet, text('mallory|bob'))
    await assertUnchanged(mallory, async () => mallory.decrypt(await alice.encrypt(text('x'))), 'InvalidMessageError')
  })

  it('forward secrecy: a state stolen later cannot decrypt messages already received', async () => {
    const { alice, bob } = await pair()
    const past: EncryptedMessage[] = []
    for (let turn = 0; turn < 3; turn++) {
      for (let i = 0; i < 3; i++) {
        const m = await alice.encrypt(text(`${turn}.${i}`))
        past.push(m)
        await bob.decrypt(m)
      }
      await alice.decrypt(await bob.encrypt(text('reply')))
    }
    const stolen = DoubleRatchet.deserialize(provider, bob.serialize())
    for (const m of past) {
      await assert.rejects(stolen.decrypt(m), { name: 'DuplicateMessageError' })
    }
  })

  it('post-compromise security: a stolen state stops working after one round trip', async () => {
    const { alice, bob } = await pair()
    await bob.decrypt(await alice.encrypt(text('1')))
    await alice.decrypt(await bob.encrypt(text('2')))
    const stolenAlice = DoubleRatchet.deserialize(provider, alice.serialize())
    // while nothing has changed, the thief reads what Bob sends in the current chain
    const early = await bob.encrypt(text('readable by the thief'))
    assert.equal(decoder.decode(await stolenAlice.decrypt(early)), 'readable by the thief')
    await alice.decrypt(early)
    // the thief holds Alice's current ratchet key, so Bob's next chain is still open to it
    await bob.decrypt(await alice.encrypt(text('hello again')))
    const stillOpen = await bob.encrypt(text('still readable'))
    assert.equal(decoder.decode(await stolenAlice.decrypt(stillOpen)), 'still readable')
    // one round trip heals it: Alice answers with a fresh ratchet key the thief never saw
    await alice.decrypt(stillOpen)
    await bob.decrypt(await alice.encrypt(text('heal')))
    const later = await bob.encrypt(text('secret again'))
    await assert.rejects(stolenAlice.decrypt(later), { name: 'InvalidMessageError' })
    assert.equal(decoder.decode(await alice.decrypt(later)), 'secret again')
  })

  it('survives serialisation at any point', async () => {
    let { alice, bob } = await pair()
    for (let i = 0; i < 6; i++) {
      const m = await alice.encrypt(text(`m${i}`))
      alice = DoubleRatchet.deserialize(provider, alice.serialize())
      bob = DoubleRatchet.deserialize(provider, bob.serialize())
      assert.equal(decoder.decode(await bob.decrypt(m)), `m${i}`)
      if (i % 2 === 1) await alice.decrypt(await bob.encrypt(text('r')))
    }
  })

  it('refuses malformed session records with InvalidSessionError', async () => {
    assert.throws(() => DoubleRatchet.deserialize(provider, Uint8Array.of(0xff, 0xff, 0xff)), { name: 'InvalidSessionError' })
    assert.throws(() => DoubleRatchet.deserialize(provider, new Uint8Array(0)), { name: 'InvalidSessionError' })
  })

  it('model: random send / deliver / drop / reorder / restart scripts converge', async () => {
    type Step = { op: 'send', from: 0 | 1 } | { op: 'deliver', pick: number } | { op: 'drop', pick: number } | { op: 'restart', who: 0 | 1 }
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ op: fc.constant('send' as const), from: fc.constantFrom(0 as const, 1 as const) }),
      fc.record({ op: fc.constant('deliver' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('drop' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('restart' as const), who: fc.constantFrom(0 as const, 1 as const) })
    )
    await fc.assert(fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (script) => {
      const { alice, bob } = await pair()
      const sides = [alice, bob]
      const wire: Array<{ to: 0 | 1, m: EncryptedMessage, plain: string }> = []
      let counter = 0
      let delivered = 0
      for (const s of script) {
        if (s.op === 'send') {
          if (!sides[s.from].canSend) continue
          const plain = `#${counter++}`
          wire.push({ to: (1 - s.from) as 0 | 1, m: await sides[s.from].encrypt(text(plain)), plain })
        } else if (s.op === 'deliver' && wire.length > 0) {
          const [item] = wire.splice(s.pick % wire.length, 1)
          assert.equal(decoder.decode(await sides[item.to].decrypt(item.m)), item.plain)
          delivered++
        } else if (s.op === 'drop' && wire.length > 0) {
          wire.splice(s.pick % wire.length, 1)
        } else if (s.op === 'restart') {
          sides[s.who] = DoubleRatchet.deserialize(provider, sides[s.who].serialize())
        }
      }
      // whatever was dropped or reordered, both can still talk afterwards
      for (const item of wire) {
        assert.equal(decoder.decode(await sides[item.to].decrypt(item.m)), item.plain)
      }
      const m = await sides[0].encrypt(text('converged'))
      assert.equal(decoder.decode(await sides[1].decrypt(m)), 'converged')
      const r = await sides[1].encrypt(text('both ways'))
      assert.equal(decoder.decode(await sides[0].decrypt(r)), 'both ways')
      return delivered >= 0
    }), { numRuns: 2_000 })
  })
})

function shuffled<T> (items: T[], seed: number): T[] {
  const out = [...items]
  let x = seed | 1
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    const j = Math.abs(x) % (i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}
