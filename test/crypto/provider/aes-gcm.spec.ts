import assert from 'node:assert/strict'
import { AES_GCM_TAG_LENGTH } from '../../../src/crypto/provider/index.ts'
import { NOT_BYTES, PROVIDERS, flipBit, hex, toHex, utf8 } from './helpers.ts'
import { AES_256_GCM_MCGREW_VIEGA } from './vectors.ts'

for (const provider of PROVIDERS) {
  describe(`AES-256-GCM (${provider.name})`, () => {
    const key = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f')
    const nonce = hex('000000000000000000000001')

    it('matches McGrew–Viega test cases 13 to 16 both ways', async () => {
      for (const v of AES_256_GCM_MCGREW_VIEGA) {
        const aad = v.aad === undefined ? undefined : hex(v.aad)
        const sealed = await provider.aes256GcmEncrypt(hex(v.key), hex(v.nonce), hex(v.plaintext), aad)
        assert.equal(toHex(sealed), v.ciphertext + v.tag, v.name)
        const opened = await provider.aes256GcmDecrypt(hex(v.key), hex(v.nonce), hex(v.ciphertext + v.tag), aad)
        assert.equal(toHex(opened), v.plaintext, v.name)
      }
    })

    it('round-trips with and without associated data', async () => {
      for (const aad of [undefined, new Uint8Array(0), utf8('header')]) {
        for (const plaintext of [new Uint8Array(0), utf8('hello'), provider.randomBytes(1024)]) {
          const sealed = await provider.aes256GcmEncrypt(key, nonce, plaintext, aad)
          assert.equal(sealed.length, plaintext.length + AES_GCM_TAG_LENGTH)
          assert.equal(Object.getPrototypeOf(sealed), Uint8Array.prototype)
          const opened = await provider.aes256GcmDecrypt(key, nonce, sealed, aad)
          assert.deepEqual(opened, plaintext)
          assert.equal(Object.getPrototypeOf(opened), Uint8Array.prototype)
        }
      }
    })

    it('treats absent and empty associated data alike (as GCM defines)', async () => {
      const sealed = await provider.aes256GcmEncrypt(key, nonce, utf8('hi'))
      assert.deepEqual(sealed, await provider.aes256GcmEncrypt(key, nonce, utf8('hi'), new Uint8Array(0)))
      assert.deepEqual(await provider.aes256GcmDecrypt(key, nonce, sealed, new Uint8Array(0)), utf8('hi'))
    })

    it('does not modify its inputs', async () => {
      const plaintext = utf8('unchanged')
      const aad = utf8('ad')
      const sealed = await provider.aes256GcmEncrypt(key, nonce, plaintext, aad)
      const sealedCopy = Uint8Array.from(sealed)
      await provider.aes256GcmDecrypt(key, nonce, sealed, aad)
      assert.deepEqual(plaintext, utf8('unchanged'))
      assert.deepEqual(aad, utf8('ad'))
      assert.deepEqual(sealed, sealedCopy)
    })

    it('throws DecryptionError for every single-bit flip of ciphertext, tag, associated data, nonce or key', async () => {
      const plaintext = utf8('short msg')
      const aad = utf8('ad!')
      const sealed = await provider.aes256GcmEncrypt(key, nonce, plaintext, aad)
      let attempts = 0
      for (let bit = 0; bit < sealed.length * 8; bit++) {
        await assert.rejects(provider.aes256GcmDecrypt(key, nonce, flipBit(sealed, bit), aad), { name: 'DecryptionError' }, `ciphertext bit ${bit}`)
        attempts++
      }
      for (let bit = 0; bit < aad.length * 8; bit++) {
        await assert.rejects(provider.aes256GcmDecrypt(key, nonce, sealed, flipBit(aad, bit)), { name: 'DecryptionError' }, `aad bit ${bit}`)
        attempts++
      }
      for (let bit = 0; bit < nonce.length * 8; bit++) {
        await assert.rejects(provider.aes256GcmDecrypt(key, flipBit(nonce, bit), sealed, aad), { name: 'DecryptionError' }, `nonce bit ${bit}`)
        attempts++
      }
      for (let bit = 0; bit < key.length * 8; bit++) {
        await assert.rejects(provider.aes256GcmDecrypt(flipBit(key, bit), nonce, sealed, aad), { name: 'DecryptionError' }, `key bit ${bit}`)
        attempts++
      }
      assert.equal(attempts, (plaintext.length + AES_GCM_TAG_LENGTH + aad.length + nonce.length + key.length) * 8)
      // and the untouched message still opens
      assert.deepEqual(await provider.aes256GcmDecrypt(key, nonce, sealed, aad), plaintext)
    })

    it('throws DecryptionError for truncation, extension, dropped or added associated data', async () => {
      const sealed = await provider.aes256GcmEncrypt(key, nonce, utf8('a longer message'), utf8('ad'))
      await assert.rejects(provider.aes256GcmDecrypt(key, nonce, sealed.subarray(0, sealed.length - 1), utf8('ad')), { name: 'DecryptionError' })
      await assert.rejects(provider.aes256GcmDecrypt(key, nonce, sealed.subarray(1), utf8('ad')), { name: 'DecryptionError' })
      await assert.rejects(provider.aes256GcmDecrypt(key, nonce, Uint8Array.of(...sealed, 0), utf8('ad')), { name: 'DecryptionError' })
      await assert.rejects(provider.aes256GcmDecrypt(key, nonce, sealed), { name: 'DecryptionError' })
      const noAad = await provider.aes256GcmEncrypt(key, nonce, utf8('x'))
      await assert.rejects(provider.aes256GcmDecrypt(key, nonce, noAad, utf8('ad')), { name: 'DecryptionError' })
      // a bare tag (empty plaintext) is well-formed, so a wrong one is an authentication failure
      await assert.rejects(provider.aes256GcmDecrypt(key, nonce, new Uint8Array(AES_GCM_TAG_LENGTH)), { name: 'DecryptionError' })
    })

    it('rejects wrong key and nonce lengths, and ciphertexts shorter than the tag, with RangeError', async () => {
      const sealed = await provider.aes256GcmEncrypt(key, nonce, utf8('x'))
      // AES-128 and AES-192 keys are not accepted either
      for (const length of [0, 16, 24, 31, 33]) {
        await assert.rejects(provider.aes256GcmEncrypt(new Uint8Array(length), nonce, utf8('x')), { name: 'RangeError', message: /"key"/ })
        await assert.rejects(provider.aes256GcmDecrypt(new Uint8Array(length), nonce, sealed), { name: 'RangeError', message: /"key"/ })
      }
      for (const length of [0, 8, 11, 13, 16]) {
        await assert.rejects(provider.aes256GcmEncrypt(key, new Uint8Array(length), utf8('x')), { name: 'RangeError', message: /"nonce"/ })
        await assert.rejects(provider.aes256GcmDecrypt(key, new Uint8Array(length), sealed), { name: 'RangeError', message: /"nonce"/ })
      }
      for (const length of [0, 1, AES_GCM_TAG_LENGTH - 1]) {
        await assert.rejects(provider.aes256GcmDecrypt(key, nonce, new Uint8Array(length)), { name: 'RangeError', message: /"ciphertextWithTag"/ })
      }
    })

    it('rejects non-Uint8Array arguments with TypeError', async () => {
      const sealed = await provider.aes256GcmEncrypt(key, nonce, utf8('x'))
      for (const wrong of NOT_BYTES) {
        await assert.rejects(provider.aes256GcmEncrypt(wrong as any, nonce, utf8('x')), { name: 'TypeError', message: /"key"/ })
        await assert.rejects(provider.aes256GcmEncrypt(key, wrong as any, utf8('x')), { name: 'TypeError', message: /"nonce"/ })
        await assert.rejects(provider.aes256GcmEncrypt(key, nonce, wrong as any), { name: 'TypeError', message: /"plaintext"/ })
        await assert.rejects(provider.aes256GcmEncrypt(key, nonce, utf8('x'), wrong as any), { name: 'TypeError', message: /"associatedData"/ })
        await assert.rejects(provider.aes256GcmDecrypt(key, nonce, wrong as any), { name: 'TypeError', message: /"ciphertextWithTag"/ })
        await assert.rejects(provider.aes256GcmDecrypt(key, nonce, sealed, wrong as any), { name: 'TypeError', message: /"associatedData"/ })
      }
    })
  })
}
