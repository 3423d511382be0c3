import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import onDemand from '../../src/node/kad-prefix-list.browser.ts'

/** The first 16 bits of the Kademlia id of the key kad-dht's refresh makes from `n` */
function prefixOf (n: number): number {
  const key = Buffer.alloc(34)
  key[0] = 0x12
  key[1] = 32
  key.writeUInt32BE(n, 2)
  return createHash('sha256').update(key).digest().readUInt16BE(0)
}

describe('the browser\'s kad-dht prefix list, found on demand', () => {
  let generated: number[]

  before(async () => {
    // the Node list kad-dht ships (not among its exports): what the stand-in must agree with
    const file = new URL('../../node_modules/@libp2p/kad-dht/dist/src/routing-table/generated-prefix-list.js', import.meta.url)
    generated = (await import(file.href)).default
  })

  it('gives for each 16-bit prefix a number whose key has that prefix, as the generated list does', () => {
    for (const prefix of [0, 1, 2, 4097, 40_000, 65_535]) {
      assert.equal(prefixOf(generated[prefix]), prefix, 'the list it stands in for')
      assert.equal(prefixOf(onDemand[prefix]), prefix, `prefix ${prefix}`)
    }
  })

  it('keeps what it found, and reads like an array otherwise', () => {
    assert.equal(onDemand[12_345], onDemand[12_345])
    assert.equal(onDemand.length, 0)
    assert.equal(onDemand[70_000], undefined)
  })
})
