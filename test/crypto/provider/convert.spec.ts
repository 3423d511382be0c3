import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { ed25519 } from '@noble/curves/ed25519.js'
import { ed25519PrivateToX25519, ed25519PublicToX25519 } from '../../../src/crypto/provider/index.ts'
import { NOT_BYTES, PROVIDERS, hex, toHex } from './helpers.ts'
import { ED25519_TO_X25519_LIBSODIUM } from './vectors.ts'

const Point = ed25519.Point

/** Encodings of all eight points of the small-order subgroup: multiples of a point of order 8 */
function smallOrderEncodings (): Uint8Array[] {
  // a point of order 8 from libsodium's small-order list; its multiples are the whole subgroup
  const torsion = Point.fromBytes(hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'))
  const out: Uint8Array[] = []
  let p = Point.ZERO
  for (let i = 0; i < 8; i++) {
    out.push(p.toBytes())
    p = p.add(torsion)
  }
  assert.ok(p.equals(Point.ZERO), 'the generator has order 8')
  return out
}

describe('Ed25519 → X25519 conversion', () => {
  it('matches libsodium\'s ed25519_convert test vector', () => {
    const v = ED25519_TO_X25519_LIBSODIUM
    const seed = hex(v.seed)
    const edPublic = ed25519.getPublicKey(seed)
    assert.equal(toHex(ed25519PublicToX25519(edPublic)), v.x25519Public)
    assert.equal(toHex(ed25519PrivateToX25519(seed)), v.x25519Private)
    assert.equal(toHex(ed25519PrivateToX25519(Uint8Array.of(...seed, ...edPublic))), v.x25519Private)
  })

  for (const provider of PROVIDERS) {
    it(`turns two libp2p Ed25519 identities into agreeing X25519 keys (${provider.name})`, async () => {
      const alice = await generateKeyPair('Ed25519')
      const bob = await generateKeyPair('Ed25519')
      assert.equal(alice.raw.length, 64, 'libp2p exposes seed || public key')

      const alicePrivate = ed25519PrivateToX25519(alice.raw)
      const bobPrivate = ed25519PrivateToX25519(bob.raw)
      const alicePublic = ed25519PublicToX25519(alice.publicKey.raw)
      const bobPublic = ed25519PublicToX25519(bob.publicKey.raw)

      assert.deepEqual(await provider.x25519PublicKey(alicePrivate), alicePublic)
      assert.deepEqual(await provider.x25519PublicKey(bobPrivate), bobPublic)
      const ab = await provider.x25519(alicePrivate, bobPublic)
      const ba = await provider.x25519(bobPrivate, alicePublic)
      assert.deepEqual(ab, ba)
      assert.notDeepEqual(ab, new Uint8Array(32))
      // the 32-byte seed form converts to the same key
      assert.deepEqual(ed25519PrivateToX25519(alice.raw.subarray(0, 32)), alicePrivate)
    })
  }

  it('rejects all eight small-order Edwards points with InvalidKeyError', () => {
    const encodings = smallOrderEncodings()
    assert.equal(new Set(encodings.map(toHex)).size, 8)
    for (const encoding of encodings) {
      assert.ok(Point.fromBytes(encoding).isSmallOrder(), 'a valid small-order point')
      assert.throws(() => ed25519PublicToX25519(encoding), { name: 'InvalidKeyError' }, toHex(encoding))
    }
  })

  it('rejects a valid point with a torsion component with InvalidKeyError', async () => {
    const key = await generateKeyPair('Ed25519')
    const torsion = Point.fromBytes(smallOrderEncodings()[1])
    const mixed = Point.fromBytes(key.publicKey.raw).add(torsion).toBytes()
    assert.equal(Point.fromBytes(mixed).isTorsionFree(), false)
    assert.throws(() => ed25519PublicToX25519(mixed), { name: 'InvalidKeyError' })
  })

  it('rejects bytes that are not a point, or not canonically encoded, with InvalidKeyError', () => {
    // y = 2 has no x on the curve
    const notOnCurve = hex('0200000000000000000000000000000000000000000000000000000000000000')
    assert.throws(() => Point.fromBytes(notOnCurve))
    assert.throws(() => ed25519PublicToX25519(notOnCurve), { name: 'InvalidKeyError' })
    // y = p + 1 encodes the identity non-canonically
    assert.throws(() => ed25519PublicToX25519(hex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f')), { name: 'InvalidKeyError' })
    // x = 0 with the sign bit set ("negative zero")
    assert.throws(() => ed25519PublicToX25519(hex('0100000000000000000000000000000000000000000000000000000000000080')), { name: 'InvalidKeyError' })
  })

  it('rejects a 64-byte private key whose public half is not its own', async () => {
    const a = await generateKeyPair('Ed25519')
    const b = await generateKeyPair('Ed25519')
    const spliced = Uint8Array.of(...a.raw.subarray(0, 32), ...b.publicKey.raw)
    assert.throws(() => ed25519PrivateToX25519(spliced), { name: 'InvalidKeyError' })
  })

  it('rejects wrong lengths with RangeError and non-Uint8Arrays with TypeError', () => {
    for (const length of [0, 31, 33, 63, 65]) {
      assert.throws(() => ed25519PrivateToX25519(new Uint8Array(length)), { name: 'RangeError', message: /"privateKey"/ })
    }
    for (const length of [0, 31, 33, 64]) {
      assert.throws(() => ed25519PublicToX25519(new Uint8Array(length)), { name: 'RangeError', message: /"publicKey"/ })
    }
    for (const wrong of [...NOT_BYTES, undefined]) {
      assert.throws(() => ed25519PrivateToX25519(wrong as any), { name: 'TypeError' })
      assert.throws(() => ed25519PublicToX25519(wrong as any), { name: 'TypeError' })
    }
  })
})
