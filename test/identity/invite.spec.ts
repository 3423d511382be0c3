import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { formatInvite, parsePeerArgument } from '../../src/identity/index.ts'
import type { Ed25519PeerId, PeerId } from '@libp2p/interface'

/** A well-known RSA peer id (an IPFS bootstrap node) */
const RSA_PEER_ID = 'QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN'

function assertInvalid (input: string, pattern?: RegExp): void {
  assert.throws(() => parsePeerArgument(input), (err: Error) => {
    assert.equal(err.name, 'InvalidPeerError')
    assert.match(err.message, /parley:\/\/<peer id>/, 'names the accepted forms')
    if (pattern != null) assert.match(err.message, pattern)
    return true
  })
}

describe('invite', () => {
  let peerId: Ed25519PeerId
  let other: PeerId

  before(async () => {
    peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  })

  describe('formatInvite', () => {
    it('formats parley://<base58 peer id>', () => {
      assert.match(peerId.toString(), /^12D3KooW/)
      assert.equal(formatInvite(peerId), `parley://${peerId.toString()}`)
      assert.equal(formatInvite(peerId.toString()), `parley://${peerId.toString()}`)
    })

    it('canonicalises a CID-form string', () => {
      assert.equal(formatInvite(peerId.toCID().toString()), `parley://${peerId.toString()}`)
    })

    it('round-trips through parsePeerArgument', () => {
      assert.ok(parsePeerArgument(formatInvite(peerId)).equals(peerId))
    })

    it('refuses non-Ed25519 peer ids', () => {
      assert.throws(() => formatInvite(RSA_PEER_ID), { name: 'InvalidPeerError' })
    })
  })

  describe('parsePeerArgument accepts', () => {
    const forms: Array<[string, (id: PeerId) => string]> = [
      ['a base58 peer id', id => id.toString()],
      ['a CID peer id', id => id.toCID().toString()],
      ['an invite', id => `parley://${id.toString()}`],
      ['an invite with a trailing slash', id => `parley://${id.toString()}/`],
      ['an invite with an upper-case scheme', id => `PARLEY://${id.toString()}`],
      ['surrounding whitespace', id => `  \tparley://${id.toString()}\n`],
      ['an ip4 multiaddr', id => `/ip4/1.2.3.4/tcp/4001/p2p/${id.toString()}`],
      ['a dns multiaddr', id => `/dns4/relay.example.org/tcp/443/wss/p2p/${id.toString()}`],
      ['a bare /p2p/ multiaddr', id => `/p2p/${id.toString()}`]
    ]
    for (const [label, form] of forms) {
      it(label, () => {
        const parsed = parsePeerArgument(form(peerId))
        assert.equal(parsed.type, 'Ed25519')
        assert.ok(parsed.equals(peerId))
        assert.equal(parsed.toString(), peerId.toString())
      })
    }

    it('a circuit multiaddr, taking the target peer and not the relay', () => {
      const parsed = parsePeerArgument(`/ip4/1.2.3.4/tcp/4001/p2p/${other.toString()}/p2p-circuit/p2p/${peerId.toString()}`)
      assert.ok(parsed.equals(peerId))
    })
  })

  describe('parsePeerArgument rejects', () => {
    it('empty and whitespace-only input', () => {
      assertInvalid('', /empty/)
      assertInvalid('   \n', /empty/)
    })

    it('garbage', () => {
      assertInvalid('hello world', /"hello world"/)
      assertInvalid('12D3KooWnotreallyapeerid', /not a valid peer id/)
      assertInvalid('parley://', /not a valid peer id/)
      assertInvalid('parley://nonsense', /not a valid peer id/)
    })

    it('an invite with extra path segments', () => {
      assertInvalid(`parley://${peerId.toString()}/extra`)
    })

    it('an RSA peer id, saying why', () => {
      assertInvalid(RSA_PEER_ID, /RSA peer id.*Ed25519/)
      assertInvalid(`parley://${RSA_PEER_ID}`, /RSA/)
    })

    it('a secp256k1 peer id, saying why', async () => {
      const secp = peerIdFromPrivateKey(await generateKeyPair('secp256k1'))
      assertInvalid(secp.toString(), /secp256k1 peer id.*Ed25519/)
    })

    it('a multiaddr without /p2p/', () => {
      assertInvalid('/ip4/1.2.3.4/tcp/4001', /does not end with \/p2p\//)
    })

    it('a multiaddr whose /p2p/ is not last', () => {
      assertInvalid(`/p2p/${peerId.toString()}/p2p-circuit`, /does not end with \/p2p\//)
    })

    it('an invalid multiaddr', () => {
      assertInvalid('/ip4/1.2.3.4/tcp/x/p2p/foo', /not a valid multiaddr/)
    })

    it('quoting at most 80 characters of a long input', () => {
      const long = 'x'.repeat(500)
      assert.throws(() => parsePeerArgument(long), (err: Error) => {
        assert.equal(err.name, 'InvalidPeerError')
        assert.ok(err.message.includes(`"${'x'.repeat(80)}…"`), err.message)
        assert.ok(!err.message.includes('x'.repeat(81)))
        return true
      })
    })
  })
})
