import assert from 'node:assert/strict'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { chainFromDistribution, decryptWith, distributionOf, encryptWith, newSenderChain } from '../../src/groups/sender-keys/sender-chain.ts'
import { SenderKeyMessage } from '../../src/groups/sender-keys/pb/sender-key.ts'
import type { SenderChain } from '../../src/groups/sender-keys/sender-chain.ts'

const provider = defaultProvider()
const GROUP = new Uint8Array(16).fill(3)
const OTHER_GROUP = new Uint8Array(16).fill(4)
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const read = (b: Uint8Array): string => new TextDecoder().decode(b)

describe('sender key chains', () => {
  let own: SenderChain

  beforeEach(async () => { own = await newSenderChain(provider) })

  /** Sends `n` messages on the owner's chain */
  async function send (...texts: string[]): Promise<Uint8Array[]> {
    const out: Uint8Array[] = []
    for (const t of texts) {
      const sent = await encryptWith(provider, own, GROUP, text(t))
      own = sent.chain
      out.push(sent.message)
    }
    return out
  }

  it('a member reads the chain from the distribution on, in order and out of order, each message once', async () => {
    let theirs = chainFromDistribution(distributionOf(own, GROUP)).chain
    assert.equal(theirs.signingPrivateKey, undefined, 'members never get the signing key')
    const [m0, m1, m2, m3] = await send('zero', 'one', 'two', 'three')
    for (const [m, expected] of [[m0, 'zero'], [m3, 'three'], [m1, 'one'], [m2, 'two']] as const) {
      const opened = await decryptWith(provider, theirs, GROUP, m)
      assert.equal(read(opened.plaintext), expected)
      theirs = opened.chain
    }
    assert.deepEqual(theirs.skipped, [], 'the late ones used up their kept keys')
    await assert.rejects(decryptWith(provider, theirs, GROUP, m1), { name: 'OldSenderKeyMessageError' })
    await assert.rejects(decryptWith(provider, theirs, GROUP, m3), { name: 'OldSenderKeyMessageError' })
  })

  it('a member who joins later cannot read what was sent before', async () => {
    const [before] = await send('before you came')
    const theirs = chainFromDistribution(distributionOf(own, GROUP)).chain
    await assert.rejects(decryptWith(provider, theirs, GROUP, before), { name: 'OldSenderKeyMessageError' })
    const [after] = await send('welcome')
    assert.equal(read((await decryptWith(provider, theirs, GROUP, after)).plaintext), 'welcome')
  })

  it('refuses a message forged by another member, tampered with, or moved to another group', async () => {
    const theirs = chainFromDistribution(distributionOf(own, GROUP)).chain
    const [m] = await send('genuine')
    // a member holds the chain key: it can encrypt, but not sign as the owner
    const forger = { ...theirs, signingPrivateKey: (await newSenderChain(provider)).signingPrivateKey }
    const forged = (await encryptWith(provider, forger, GROUP, text('forged'))).message
    await assert.rejects(decryptWith(provider, theirs, GROUP, forged), /not signed/)
    const decoded = SenderKeyMessage.decode(m.slice())
    decoded.ciphertext[0] ^= 1
    await assert.rejects(decryptWith(provider, theirs, GROUP, SenderKeyMessage.encode(decoded)), /not signed/)
    await assert.rejects(decryptWith(provider, theirs, OTHER_GROUP, m), /does not decrypt/)
    await assert.rejects(decryptWith(provider, theirs, GROUP, new Uint8Array([1, 2, 3])), { name: 'InvalidSenderKeyMessageError' })
    // the chain is untouched by all that
    assert.equal(read((await decryptWith(provider, theirs, GROUP, m)).plaintext), 'genuine')
  })

  it('refuses a second key for a chain it holds, and takes the same one again as a no-op', async () => {
    const held = chainFromDistribution(distributionOf(own, GROUP)).chain
    assert.equal(chainFromDistribution(distributionOf(own, GROUP), [held]).chain, held)
    const impostor = { ...(await newSenderChain(provider)), keyId: own.keyId }
    assert.throws(() => chainFromDistribution(distributionOf(impostor, GROUP), [held]), { name: 'SenderKeyConflictError' })
  })

  it('keeps at most MAX_SKIPPED_KEYS keys for late messages', async () => {
    const theirs = chainFromDistribution(distributionOf(own, GROUP)).chain
    own = { ...own }
    // 2,100 messages lost, then one read: the oldest 100 skipped keys are dropped
    for (let i = 0; i < 2_100; i++) own = (await encryptWith(provider, own, GROUP, text('lost'))).chain
    const [last] = await send('last')
    const opened = await decryptWith(provider, theirs, GROUP, last)
    assert.equal(opened.chain.skipped.length, 2_000)
    assert.equal(opened.chain.skipped[0].iteration, 100)
  })
})
