import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { noise } from '@libp2p/noise'
import { defaultCrypto } from '@libp2p/noise/crypto'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import fc from 'fast-check'
import { createLibp2p } from 'libp2p'
import { pEvent } from 'p-event'
import { Uint8ArrayList } from 'uint8arraylist'
import { noiseCrypto } from '../../src/node/noise-crypto.ts'
import type { ICryptoInterface } from '@libp2p/noise'
import type { Libp2p, Stream } from '@libp2p/interface'

const LOOPBACK_TCP = '/ip4/127.0.0.1/tcp/0'
const ECHO = '/parley-test/echo/1.0.0'
/** The largest Noise transport message: 65,535 bytes with the tag */
const MAX_PLAINTEXT = 65_519

const bytes = (data: Uint8Array | Uint8ArrayList): Uint8Array => data instanceof Uint8Array ? data : data.subarray()

/** Byte equality with a short message (assert's diff of two 64 KiB arrays takes minutes) */
function sameBytes (actual: Uint8Array | Uint8ArrayList, expected: Uint8Array | Uint8ArrayList): void {
  const a = bytes(actual)
  const b = bytes(expected)
  const length = Math.min(a.byteLength, b.byteLength)
  let at = 0
  while (at < length && a[at] === b[at]) at++
  assert.ok(at === a.byteLength && at === b.byteLength, `${a.byteLength} bytes, expected ${b.byteLength}, first difference at ${at}`)
}

/** `data` as a list cut at `cuts` (offsets), the way Noise hands over a yamux frame */
function pieces (data: Uint8Array, cuts: number[]): Uint8ArrayList {
  const list = new Uint8ArrayList()
  let start = 0
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    list.append(data.subarray(start, cut))
    start = cut
  }
  list.append(data.subarray(start))
  return list
}

function flipBit (data: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(data)
  copy[bit >> 3] ^= 1 << (bit & 7)
  return copy
}

/** Lengths either side of the 1,200-byte switch to node:crypto, up to a full frame */
const plaintextLength = fc.oneof(fc.integer({ min: 0, max: 1_300 }), fc.integer({ min: 1_100, max: MAX_PLAINTEXT }))
const sealing = fc.record({
  key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  nonce: fc.uint8Array({ minLength: 12, maxLength: 12 }),
  // the handshake authenticates the transcript hash; transport messages use none
  ad: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 32, maxLength: 32 })),
  length: plaintextLength,
  cuts: fc.array(fc.nat(), { maxLength: 4 })
})

describe('noise crypto', () => {
  it('seals byte for byte as the default, whole or in pieces', () => {
    fc.assert(fc.property(sealing, ({ key, nonce, ad, length, cuts }) => {
      const plaintext = randomBytes(length)
      const expected = bytes(defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, key))
      sameBytes(noiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, key), expected)
      const list = pieces(plaintext, cuts.map(c => c % (length + 1)))
      sameBytes(noiseCrypto.chaCha20Poly1305Encrypt(list, nonce, ad, key), expected)
    }), { numRuns: 200 })
  })

  it('opens what the default sealed, and the default opens what it sealed', () => {
    fc.assert(fc.property(sealing, ({ key, nonce, ad, length, cuts }) => {
      const plaintext = randomBytes(length)
      const theirs = bytes(defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, key))
      const ours = bytes(noiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, key))
      sameBytes(noiseCrypto.chaCha20Poly1305Decrypt(theirs, nonce, ad, key), plaintext)
      const list = pieces(theirs, cuts.map(c => c % (theirs.byteLength + 1)))
      sameBytes(noiseCrypto.chaCha20Poly1305Decrypt(list, nonce, ad, key), plaintext)
      sameBytes(defaultCrypto.chaCha20Poly1305Decrypt(ours, nonce, ad, key), plaintext)
    }), { numRuns: 200 })
  })

  it('rejects a flipped bit anywhere, a wrong nonce and a wrong associated data', () => {
    fc.assert(fc.property(sealing, fc.nat(), ({ key, nonce, ad, length, cuts }, bit) => {
      const plaintext = randomBytes(length)
      const sealed = bytes(noiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, key))
      const tampered = flipBit(sealed, bit % (sealed.byteLength * 8))
      assert.throws(() => noiseCrypto.chaCha20Poly1305Decrypt(tampered, nonce, ad, key))
      assert.throws(() => noiseCrypto.chaCha20Poly1305Decrypt(pieces(tampered, cuts.map(c => c % (sealed.byteLength + 1))), nonce, ad, key))
      assert.throws(() => noiseCrypto.chaCha20Poly1305Decrypt(sealed, flipBit(nonce, 0), ad, key))
      assert.throws(() => noiseCrypto.chaCha20Poly1305Decrypt(sealed, nonce, Uint8Array.of(...ad, 0), key))
    }), { numRuns: 100 })
  })

  it('uses the key\'s current bytes when its array is rewritten in place', () => {
    const key = randomBytes(32)
    const nonce = new Uint8Array(12)
    const plaintext = randomBytes(MAX_PLAINTEXT)
    noiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, new Uint8Array(0), key)
    key.fill(7)
    const expected = bytes(defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, new Uint8Array(0), key))
    sameBytes(noiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, new Uint8Array(0), key), expected)
  })

  describe('between a node with it and a node with the default', () => {
    let ours: Libp2p
    let theirs: Libp2p

    async function start (crypto?: ICryptoInterface): Promise<Libp2p> {
      const node = await createLibp2p({
        addresses: { listen: [LOOPBACK_TCP] },
        transports: [tcp()],
        connectionEncrypters: [noise(crypto != null ? { crypto } : {})],
        streamMuxers: [yamux()]
      })
      await node.handle(ECHO, echo)
      return node
    }

    /** Frames the node with ours sealed and opened on node:crypto, so the test knows they ran */
    const large = { sealed: 0, opened: 0 }

    before(async () => {
      ours = await start({
        ...noiseCrypto,
        chaCha20Poly1305Encrypt: (plaintext, ...rest) => {
          if (plaintext.byteLength >= 1_200) large.sealed++
          return noiseCrypto.chaCha20Poly1305Encrypt(plaintext, ...rest)
        },
        chaCha20Poly1305Decrypt: (ciphertext, ...rest) => {
          if (ciphertext.byteLength >= 1_200) large.opened++
          return noiseCrypto.chaCha20Poly1305Decrypt(ciphertext, ...rest)
        }
      })
      theirs = await start()
    })

    after(async () => {
      await Promise.all([ours?.stop(), theirs?.stop()])
    })

    for (const [name, from, to] of [['ours dials the default', () => ours, () => theirs], ['the default dials ours', () => theirs, () => ours]] as const) {
      it(`${name}: small and large messages round-trip`, async () => {
        const counted = { ...large }
        const stream = await from().dialProtocol(to().getMultiaddrs(), ECHO)
        // handshake-sized, a full Noise frame, and more than a yamux window in one send
        const messages = [randomBytes(100), randomBytes(MAX_PLAINTEXT), randomBytes(1_048_576 + 17)]
        const sent = new Uint8ArrayList(...messages)
        const echoed = collect(stream, sent.byteLength)
        for (const message of messages) {
          if (!stream.send(message)) await pEvent(stream, 'drain', { rejectionEvents: ['close'] })
        }
        sameBytes(await echoed, sent)
        await stream.close()
        assert.ok(large.sealed > counted.sealed && large.opened > counted.opened, 'the node with ours sealed and opened full frames')
      })
    }
  })
})

/** Sends back whatever arrives, honouring backpressure, and closes when the remote does */
async function echo (stream: Stream): Promise<void> {
  try {
    for await (const chunk of stream) {
      if (!stream.send(chunk)) await pEvent(stream, 'drain', { rejectionEvents: ['close'] })
    }
    await stream.close()
  } catch (err: any) {
    stream.abort(err)
  }
}

/** Everything `stream` receives until `total` bytes have arrived */
async function collect (stream: Stream, total: number): Promise<Uint8ArrayList> {
  const received = new Uint8ArrayList()
  await new Promise<void>((resolve, reject) => {
    stream.addEventListener('message', evt => {
      received.append(evt.data)
      if (received.byteLength >= total) resolve()
    })
    stream.addEventListener('close', evt => { reject(evt.error ?? new Error(`the stream closed after ${received.byteLength} of ${total} bytes`)) })
  })
  return received
}
