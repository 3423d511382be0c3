import assert from 'node:assert/strict'
import { X25519_KEY_LENGTH } from '../../../src/crypto/provider/index.ts'
import { NOT_BYTES, PROVIDERS, hex, toHex } from './helpers.ts'
import { X25519_LOW_ORDER_POINTS, X25519_RFC7748, X25519_RFC7748_DH, X25519_RFC7748_ITERATED } from './vectors.ts'

for (const provider of PROVIDERS) {
  describe(`X25519 (${provider.name})`, () => {
    it('matches the RFC 7748 §5.2 vectors', async () => {
      for (const { scalar, u, output } of X25519_RFC7748) {
        assert.equal(toHex(await provider.x25519(hex(scalar), hex(u))), output)
      }
    })

    it('matches the RFC 7748 §5.2 iterated vector after 1 and 1000 iterations', async function () {
      this.timeout(30_000)
      let k = hex(X25519_RFC7748_ITERATED.start)
      let u = hex(X25519_RFC7748_ITERATED.start)
      for (let i = 1; i <= 1000; i++) {
        const next = await provider.x25519(k, u)
        u = k
        k = next
        if (i === 1) {
          assert.equal(toHex(k), X25519_RFC7748_ITERATED.after1)
        }
      }
      assert.equal(toHex(k), X25519_RFC7748_ITERATED.after1000)
    })

    it('reproduces the RFC 7748 §6.1 Alice and Bob exchange', async () => {
      const v = X25519_RFC7748_DH
      assert.equal(toHex(await provider.x25519PublicKey(hex(v.alicePrivate))), v.alicePublic)
      assert.equal(toHex(await provider.x25519PublicKey(hex(v.bobPrivate))), v.bobPublic)
      assert.equal(toHex(await provider.x25519(hex(v.alicePrivate), hex(v.bobPublic))), v.shared)
      assert.equal(toHex(await provider.x25519(hex(v.bobPrivate), hex(v.alicePublic))), v.shared)
    })

    it('generates key pairs whose public key matches the private key and which agree', async () => {
      const a = await provider.x25519GenerateKeyPair()
      const b = await provider.x25519GenerateKeyPair()
      assert.equal(a.privateKey.length, X25519_KEY_LENGTH)
      assert.equal(a.publicKey.length, X25519_KEY_LENGTH)
      assert.notDeepEqual(a.privateKey, b.privateKey)
      assert.deepEqual(await provider.x25519PublicKey(a.privateKey), a.publicKey)
      assert.deepEqual(await provider.x25519(a.privateKey, b.publicKey), await provider.x25519(b.privateKey, a.publicKey))
    })

    it('reads both keys afresh when their arrays change between calls (no stale cached key)', async () => {
      const v = X25519_RFC7748_DH
      const publicKey = hex(v.bobPublic)
      assert.equal(toHex(await provider.x25519(hex(v.alicePrivate), publicKey)), v.shared)
      publicKey.set(hex(v.alicePublic))
      const withOwn = await provider.x25519(hex(v.alicePrivate), publicKey)
      assert.deepEqual(withOwn, await provider.x25519(hex(v.alicePrivate), hex(v.alicePublic)))
      assert.notEqual(toHex(withOwn), v.shared)
      const generated = await provider.x25519GenerateKeyPair()
      await provider.x25519(generated.privateKey, hex(v.bobPublic))
      generated.privateKey.set(hex(v.alicePrivate))
      assert.equal(toHex(await provider.x25519(generated.privateKey, hex(v.bobPublic))), v.shared)
      assert.equal(toHex(await provider.x25519PublicKey(generated.privateKey)), v.alicePublic)
    })

    it('returns plain Uint8Arrays', async () => {
      const { privateKey, publicKey } = await provider.x25519GenerateKeyPair()
      for (const out of [privateKey, publicKey, await provider.x25519(privateKey, publicKey)]) {
        assert.equal(Object.getPrototypeOf(out), Uint8Array.prototype)
      }
    })

    it('rejects every small-order public key with LowOrderPointError', async () => {
      assert.equal(X25519_LOW_ORDER_POINTS.length, 14)
      const { privateKey } = await provider.x25519GenerateKeyPair()
      for (const point of X25519_LOW_ORDER_POINTS) {
        await assert.rejects(provider.x25519(privateKey, hex(point)), { name: 'LowOrderPointError' }, point)
      }
    })

    it('rejects wrong lengths with RangeError', async () => {
      const { privateKey, publicKey } = await provider.x25519GenerateKeyPair()
      for (const length of [0, 31, 33, 64]) {
        const wrong = new Uint8Array(length).fill(9)
        await assert.rejects(provider.x25519(wrong, publicKey), { name: 'RangeError', message: /"privateKey"/ })
        await assert.rejects(provider.x25519(privateKey, wrong), { name: 'RangeError', message: /"publicKey"/ })
        await assert.rejects(provider.x25519PublicKey(wrong), { name: 'RangeError', message: /"privateKey"/ })
      }
    })

    it('rejects non-Uint8Array arguments with TypeError', async () => {
      const { privateKey, publicKey } = await provider.x25519GenerateKeyPair()
      for (const wrong of [...NOT_BYTES, undefined]) {
        await assert.rejects(provider.x25519(wrong as any, publicKey), { name: 'TypeError', message: /"privateKey"/ })
        await assert.rejects(provider.x25519(privateKey, wrong as any), { name: 'TypeError', message: /"publicKey"/ })
        await assert.rejects(provider.x25519PublicKey(wrong as any), { name: 'TypeError' })
      }
    })

    it('accepts a Buffer', async () => {
      const v = X25519_RFC7748_DH
      const out = await provider.x25519(Buffer.from(v.alicePrivate, 'hex'), Buffer.from(v.bobPublic, 'hex'))
      assert.equal(toHex(out), v.shared)
    })
  })
}
