import { sha256 } from '@noble/hashes/sha2.js'

/**
 * Stands in, in the browser bundle, for @libp2p/kad-dht's generated prefix list
 * (routing-table/generated-prefix-list-browser.js, swapped in by scripts/web/build.ts).
 *
 * The routing table's refresh looks up random keys that share exactly N leading bits with this
 * node's own: for each 16-bit prefix P it needs a number n whose key (a SHA-256 multihash of n,
 * big-endian, then zeros) hashes to a Kademlia id starting with P (refresh.ts `_makePeerId`).
 * kad-dht ships that table precomputed: 99 kB of random numbers, a quarter of the page's core
 * bundle budget, for a refresh a page runs a few times an hour (and its browser table holds
 * only every fourth prefix, so most lookups of it come back undefined). This finds n when a
 * prefix is asked for: about 65,000 hashes (tens of milliseconds), each answer kept.
 */
const KEY_BYTES = 34
const found = new Map<number, number>()

function numberFor (prefix: number): number {
  const known = found.get(prefix)
  if (known != null) return known
  const key = new Uint8Array(KEY_BYTES)
  key[0] = 0x12
  key[1] = 32
  const view = new DataView(key.buffer)
  for (let n = 0; n <= 0xffff_ffff; n++) {
    view.setUint32(2, n, false)
    const id = sha256(key)
    if (((id[0] << 8) | id[1]) === prefix) {
      found.set(prefix, n)
      return n
    }
  }
  throw new RangeError(`no key found for prefix ${prefix}`)
}

/** Reads like the generated list: `list[prefix]` for a 16-bit prefix */
const prefixList: number[] = new Proxy<number[]>([], {
  get (target, property, receiver) {
    if (typeof property === 'string' && /^\d+$/.test(property) && Number(property) <= 0xffff) return numberFor(Number(property))
    return Reflect.get(target, property, receiver)
  }
})

export default prefixList
