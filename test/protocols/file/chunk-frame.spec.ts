import assert from 'node:assert/strict'
import fc from 'fast-check'
import { encodeChunkFrame } from '../../../src/protocols/file/chunk-frame.ts'
import { FileChunk } from '../../../src/protocols/file/pb/file.ts'

describe('chunk frames encoded without a copy', () => {
  it('are byte for byte FileChunk.encode, for any index, nonce, ciphertext and proof', () => {
    fc.assert(fc.property(
      fc.nat({ max: 2 ** 32 - 1 }),
      fc.uint8Array({ maxLength: 16 }),
      fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 16_384, maxLength: 20_000 })),
      fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 32 }),
      (index, nonce, ciphertext, proof) => {
        const chunk = { index, nonce, ciphertext, proof } as FileChunk
        assert.deepEqual(encodeChunkFrame(chunk).subarray(), FileChunk.encode(chunk))
      }
    ), { numRuns: 500 })
  })

  it('keep the ciphertext itself, not a copy of it', () => {
    const ciphertext = new Uint8Array(262_160).fill(7)
    const frame = encodeChunkFrame({ index: 5, nonce: new Uint8Array(12), ciphertext, proof: [new Uint8Array(32)] } as FileChunk)
    assert.ok([...frame].some(piece => piece === ciphertext))
  })
})
