import assert from 'node:assert/strict'
import { crc32 } from 'node:zlib'
import fc from 'fast-check'
import { MAX_STUN_REQUEST_BYTES } from '../../src/stun/constants.ts'
import { ipBytes } from '../../src/stun/ip-bytes.ts'
import { decodeBindingRequest, encodeBindingSuccess } from '../../src/stun/message.ts'

const hex = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'))

// RFC 5769 section 2.1: a binding request with SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME,
// MESSAGE-INTEGRITY and FINGERPRINT
const RFC5769_REQUEST = hex(`
  0001 0058 2112a442 b7e7a701bc34d686fa87dfae
  8022 0010 5354554e 20746573 7420636c 69656e74
  0024 0004 6e0001ff
  8029 0008 932ff9b1 51263b36
  0006 0009 6576746a 3a683676 59202020
  0008 0014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2
  8028 0004 e57a3bcf`)
const TRANSACTION_ID = hex('b7e7a701bc34d686fa87dfae')

const fingerprintOf = (bytes: Uint8Array): number => (crc32(bytes) ^ 0x5354554e) >>> 0

/**
 * A minimal binding request: the header, a FINGERPRINT if asked, and `after` it (attributes that
 * must not follow a FINGERPRINT)
 */
function request (fingerprint = false, after: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(20 + (fingerprint ? 8 : 0) + after.byteLength)
  const view = new DataView(out.buffer)
  view.setUint32(0, 0x00010000 | (out.byteLength - 20))
  view.setUint32(4, 0x2112a442)
  out.set(TRANSACTION_ID, 8)
  if (fingerprint) {
    // over a header whose length already counts the FINGERPRINT (and here what follows it)
    view.setUint32(20, 0x80280004)
    view.setUint32(24, fingerprintOf(out.subarray(0, 20)))
  }
  out.set(after, out.byteLength - after.byteLength)
  return out
}

describe('STUN messages', () => {
  it('reads the RFC 5769 sample request, checking its FINGERPRINT', () => {
    const decoded = decodeBindingRequest(RFC5769_REQUEST)
    assert.deepEqual(decoded, { transactionId: TRANSACTION_ID, fingerprint: true })
  })

  it('writes XOR-MAPPED-ADDRESS as RFC 5769\'s sample responses do (IPv4 and IPv6)', () => {
    const v4 = encodeBindingSuccess({ transactionId: TRANSACTION_ID, fingerprint: false, address: ipBytes('192.0.2.1'), port: 32853 })
    assert.deepEqual(v4.subarray(20), hex('0020 0008 0001a147 e112a643'))
    const v6 = encodeBindingSuccess({ transactionId: TRANSACTION_ID, fingerprint: false, address: ipBytes('2001:db8:1234:5678:11:2233:4455:6677'), port: 32853 })
    assert.deepEqual(v6.subarray(20), hex('0020 0014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9'))
    assert.deepEqual(v4.subarray(0, 20), hex(`0101 000c 2112a442 ${Buffer.from(TRANSACTION_ID).toString('hex')}`))
  })

  it('answers a FINGERPRINT with a FINGERPRINT that checks, and no response outgrows its request by more than the mapped address', () => {
    for (const [ip, mappedBytes] of [['203.0.113.9', 12], ['2001:db8::9', 24], ['::ffff:203.0.113.9', 12]] as const) {
      for (const fingerprint of [false, true]) {
        const req = request(fingerprint)
        const response = encodeBindingSuccess({ ...decodeBindingRequest(req), address: ipBytes(ip), port: 5000 })
        assert.ok(response.byteLength <= req.byteLength + mappedBytes, `${response.byteLength} > ${req.byteLength} + ${mappedBytes}`)
        const tail = new DataView(response.buffer, response.byteLength - 8)
        assert.equal(tail.getUint32(0) === 0x80280004, fingerprint, 'a FINGERPRINT exactly when the request had one')
        if (fingerprint) assert.equal(tail.getUint32(4), fingerprintOf(response.subarray(0, response.byteLength - 8)))
      }
    }
  })

  it('reads an IPv4-mapped IPv6 source as the IPv4 address', () => {
    assert.deepEqual(ipBytes('::ffff:192.0.2.1'), ipBytes('192.0.2.1'))
    assert.deepEqual(ipBytes('::1').bytes, Uint8Array.from([...new Array(15).fill(0), 1]))
    assert.deepEqual(ipBytes('fe80::1:2%eth0').bytes, hex('fe80 0000 0000 0000 0000 0000 0001 0002'))
    assert.throws(() => ipBytes('example.org'), TypeError)
  })

  for (const [what, datagram, reason] of [
    ['an empty datagram', new Uint8Array(0), /at least 20 bytes/],
    ['a truncated header', request().subarray(0, 19), /at least 20 bytes/],
    ['a binding response', hex(`0101 0000 2112a442 ${'00'.repeat(12)}`), /not a binding request/],
    ['an indication', hex(`0011 0000 2112a442 ${'00'.repeat(12)}`), /not a binding request/],
    ['an RFC 3489 request (no magic cookie)', hex(`0001 0000 ${'00'.repeat(16)}`), /magic cookie/],
    ['a length beyond the datagram', hex(`0001 0008 2112a442 ${'00'.repeat(12)}`), /the header says 8/],
    ['an attribute overrunning the message', hex(`0001 0008 2112a442 ${'00'.repeat(12)} 8022 0010 41414141`), /overruns/],
    ['a truncated attribute header', hex(`0001 0002 2112a442 ${'00'.repeat(12)} 8022`), /truncated attribute/],
    ['a wrong FINGERPRINT', hex(`0001 0008 2112a442 ${'00'.repeat(12)} 8028 0004 00000000`), /wrong FINGERPRINT/],
    ['an attribute after the FINGERPRINT', request(true, hex('8022 0004 41414141')), /follows the FINGERPRINT/],
    ['an oversized datagram', Uint8Array.from([...request(), ...new Uint8Array(MAX_STUN_REQUEST_BYTES)]), /at most 548 bytes/]
  ] as const) {
    it(`refuses ${what}`, () => {
      assert.throws(() => decodeBindingRequest(datagram), { name: 'InvalidStunMessageError', message: reason })
    })
  }

  it('throws only InvalidStunMessageError, whatever the bytes', () => {
    const header = fc.uint8Array({ minLength: 20, maxLength: 600 }).map(bytes => {
      // a valid header more often than chance would give, so the attribute walk gets exercised
      const out = Uint8Array.from(bytes)
      new DataView(out.buffer).setUint32(0, 0x00010000 | ((out.byteLength - 20) & 0xffff))
      new DataView(out.buffer).setUint32(4, 0x2112a442)
      return out
    })
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), header), bytes => {
      try {
        const decoded = decodeBindingRequest(bytes)
        assert.equal(decoded.transactionId.byteLength, 12)
      } catch (err: any) {
        assert.equal(err.name, 'InvalidStunMessageError')
      }
    }), { numRuns: 2_000 })
  })
})
