import assert from 'node:assert/strict'
import { HKDF_MAX_INFO_LENGTH, HKDF_SHA256_MAX_LENGTH, MAX_RANDOM_BYTES } from '../../../src/crypto/provider/index.ts'
import { NOT_BYTES, PROVIDERS, hex, toHex, utf8 } from './helpers.ts'
import { HKDF_RFC5869, HMAC_SHA256_RFC4231, SHA2 } from './vectors.ts'

for (const provider of PROVIDERS) {
  describe(`hashes, HMAC, HKDF and randomness (${provider.name})`, () => {
    describe('sha256 / sha512', () => {
      it('match the FIPS 180-2 "abc" and empty-message digests', () => {
        assert.equal(toHex(provider.sha256(utf8('abc'))), SHA2.sha256Abc)
        assert.equal(toHex(provider.sha256(new Uint8Array(0))), SHA2.sha256Empty)
        assert.equal(toHex(provider.sha512(utf8('abc'))), SHA2.sha512Abc)
        assert.equal(Object.getPrototypeOf(provider.sha256(utf8('abc'))), Uint8Array.prototype)
      })

      it('throw TypeError for non-Uint8Array input', () => {
        for (const wrong of [...NOT_BYTES, undefined]) {
          assert.throws(() => provider.sha256(wrong as any), { name: 'TypeError', message: /"data"/ })
          assert.throws(() => provider.sha512(wrong as any), { name: 'TypeError', message: /"data"/ })
        }
      })
    })

    describe('hmacSha256', () => {
      it('matches RFC 4231 test cases 1, 2 and 6', async () => {
        for (const v of HMAC_SHA256_RFC4231) {
          assert.equal(toHex(await provider.hmacSha256(hex(v.key), utf8(v.data))), v.mac, v.name)
        }
      })

      it('accepts empty keys and data', async () => {
        const mac = await provider.hmacSha256(new Uint8Array(0), new Uint8Array(0))
        assert.equal(toHex(mac), 'b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad')
      })

      it('throws TypeError for non-Uint8Array arguments', async () => {
        for (const wrong of [...NOT_BYTES, undefined]) {
          await assert.rejects(provider.hmacSha256(wrong as any, utf8('x')), { name: 'TypeError', message: /"key"/ })
          await assert.rejects(provider.hmacSha256(utf8('x'), wrong as any), { name: 'TypeError', message: /"data"/ })
        }
      })
    })

    describe('hmacSha256Each', () => {
      it('matches RFC 4231 test cases 1, 2 and 6, and hmacSha256 for each message, in order', async () => {
        for (const v of HMAC_SHA256_RFC4231) {
          const messages = [utf8(v.data), new Uint8Array(0), Uint8Array.of(2), Uint8Array.of(1), utf8(v.data)]
          const macs = await provider.hmacSha256Each(hex(v.key), messages)
          assert.equal(toHex(macs[0]), v.mac, v.name)
          assert.equal(toHex(macs[4]), v.mac, v.name)
          assert.deepEqual(macs, await Promise.all(messages.map(async m => provider.hmacSha256(hex(v.key), m))))
          for (const mac of macs) {
            assert.equal(Object.getPrototypeOf(mac), Uint8Array.prototype)
          }
        }
        assert.deepEqual(await provider.hmacSha256Each(utf8('k'), []), [])
      })

      it('returns fresh arrays and leaves its inputs alone', async () => {
        const key = utf8('key')
        const messages = [utf8('a'), utf8('b')]
        const [a, b] = await provider.hmacSha256Each(key, messages)
        assert.notEqual(a.buffer, b.buffer)
        a.fill(0)
        assert.deepEqual(b, await provider.hmacSha256(key, utf8('b')))
        assert.deepEqual(key, utf8('key'))
        assert.deepEqual(messages, [utf8('a'), utf8('b')])
      })

      it('throws TypeError for a non-Uint8Array key, a non-array or a non-Uint8Array message', async () => {
        for (const wrong of [...NOT_BYTES, undefined]) {
          await assert.rejects(provider.hmacSha256Each(wrong as any, [utf8('x')]), { name: 'TypeError', message: /"key"/ })
          await assert.rejects(provider.hmacSha256Each(utf8('x'), [utf8('x'), wrong as any]), { name: 'TypeError', message: /"messages\[1\]"/ })
        }
        for (const wrong of [utf8('x'), 'x', null, undefined, new Set([utf8('x')])]) {
          await assert.rejects(provider.hmacSha256Each(utf8('x'), wrong as any), { name: 'TypeError', message: /"messages"/ })
        }
      })
    })

    describe('hkdfSha256', () => {
      it('matches RFC 5869 test cases 1 and 3', async () => {
        for (const v of HKDF_RFC5869) {
          assert.equal(toHex(await provider.hkdfSha256(hex(v.ikm), hex(v.salt), hex(v.info), v.length)), v.okm, v.name)
        }
      })

      it('returns a prefix of a longer output for a shorter length, up to 8160 bytes', async () => {
        const ikm = utf8('input key material')
        const long = await provider.hkdfSha256(ikm, utf8('salt'), utf8('info'), HKDF_SHA256_MAX_LENGTH)
        assert.equal(long.length, HKDF_SHA256_MAX_LENGTH)
        assert.deepEqual(await provider.hkdfSha256(ikm, utf8('salt'), utf8('info'), 1), long.subarray(0, 1))
        assert.deepEqual(await provider.hkdfSha256(ikm, utf8('salt'), utf8('info'), 100), long.subarray(0, 100))
      })

      it('accepts info up to 1024 bytes', async () => {
        const okm = await provider.hkdfSha256(utf8('k'), utf8('s'), new Uint8Array(HKDF_MAX_INFO_LENGTH), 32)
        assert.equal(okm.length, 32)
      })

      it('rejects out-of-range lengths and oversized info with RangeError', async () => {
        for (const length of [0, -1, HKDF_SHA256_MAX_LENGTH + 1, 1.5, Number.NaN, Infinity]) {
          await assert.rejects(provider.hkdfSha256(utf8('k'), utf8('s'), utf8('i'), length), { name: 'RangeError', message: /"length"/ }, String(length))
        }
        await assert.rejects(provider.hkdfSha256(utf8('k'), utf8('s'), new Uint8Array(HKDF_MAX_INFO_LENGTH + 1), 32), { name: 'RangeError', message: /"info"/ })
      })

      it('rejects wrongly typed arguments with TypeError', async () => {
        for (const wrong of [...NOT_BYTES, undefined]) {
          await assert.rejects(provider.hkdfSha256(wrong as any, utf8('s'), utf8('i'), 32), { name: 'TypeError', message: /"ikm"/ })
          await assert.rejects(provider.hkdfSha256(utf8('k'), wrong as any, utf8('i'), 32), { name: 'TypeError', message: /"salt"/ })
          await assert.rejects(provider.hkdfSha256(utf8('k'), utf8('s'), wrong as any, 32), { name: 'TypeError', message: /"info"/ })
        }
        for (const wrong of ['32', 32n, null, undefined]) {
          await assert.rejects(provider.hkdfSha256(utf8('k'), utf8('s'), utf8('i'), wrong as any), { name: 'TypeError', message: /"length"/ })
        }
      })
    })

    describe('randomBytes', () => {
      it('returns the requested number of bytes, different each time', () => {
        for (const length of [0, 1, 12, 32, MAX_RANDOM_BYTES]) {
          const bytes = provider.randomBytes(length)
          assert.equal(bytes.length, length)
          assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype)
        }
        assert.notDeepEqual(provider.randomBytes(32), provider.randomBytes(32))
      })

      it('is not obviously biased: every byte value shows up in 64 KiB', () => {
        const seen = new Set(provider.randomBytes(MAX_RANDOM_BYTES))
        assert.equal(seen.size, 256)
      })

      it('rejects bad lengths: RangeError for out of range, TypeError for non-numbers', () => {
        for (const length of [-1, MAX_RANDOM_BYTES + 1, 1.5, Number.NaN]) {
          assert.throws(() => provider.randomBytes(length), { name: 'RangeError', message: /"length"/ })
        }
        for (const wrong of ['32', null, undefined, 32n]) {
          assert.throws(() => provider.randomBytes(wrong as any), { name: 'TypeError', message: /"length"/ })
        }
      })
    })
  })
}
