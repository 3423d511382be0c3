import assert from 'node:assert/strict'
import fc from 'fast-check'
import { MailboxRequest } from '../../../src/protocols/mailbox/pb/mailbox.ts'
import { AnyMailboxRequest } from '../../../src/protocols/mailbox/request-codec.ts'
import { lengthDelimited, varint } from './host-harness.ts'

const RECIPIENT = Uint8Array.from({ length: 38 }, (_, i) => i)

/** FetchRequest fields by hand: the recipient, then epochs as given (each part packed or not) */
function fetchFields (parts: Array<{ packed: boolean, epochs: number[] }>): number[] {
  return [
    ...lengthDelimited(10, RECIPIENT),
    ...parts.flatMap(({ packed, epochs }) => packed ? lengthDelimited(18, epochs.flatMap(varint)) : epochs.flatMap(e => [...varint(16), ...varint(e)]))
  ]
}

const request = (fetch: number[]): Uint8Array => Uint8Array.from(lengthDelimited(18, fetch))

describe('mailbox requests in any valid encoding', () => {
  it('protons writes repeated epochs unpacked, and cannot read them packed: the reason for AnyMailboxRequest', () => {
    const unpacked = MailboxRequest.encode({ fetch: { recipient: RECIPIENT, epochs: [2900, 2899] } })
    assert.deepEqual(unpacked, request(fetchFields([{ packed: false, epochs: [2900, 2899] }])))
    // it takes the run's length for an epoch, then the first epoch's varint for a tag
    assert.throws(() => MailboxRequest.decode(request(fetchFields([{ packed: true, epochs: [2900, 2899] }]))), /invalid wire type 4/)
  })

  it('reads epochs packed, unpacked, and mixed across parts, in order', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ packed: fc.boolean(), epochs: fc.array(fc.nat({ max: 0xffff_ffff }), { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 3 })
        .filter(parts => parts.flatMap(p => p.epochs).length <= 8),
      parts => {
        const decoded = AnyMailboxRequest.decode(request(fetchFields(parts)))
        assert.deepEqual(decoded.fetch, { recipient: RECIPIENT, epochs: parts.flatMap(p => p.epochs) })
      }
    ))
  })

  it('merges a fetch sent in two parts, and skips fields it does not know', () => {
    const bytes = Uint8Array.from([
      ...lengthDelimited(18, [...varint(16), ...varint(7)]),
      // an unknown varint field and an unknown length-delimited one
      ...varint(9 << 3), ...varint(300),
      ...lengthDelimited((10 << 3) | 2, [1, 2, 3]),
      ...lengthDelimited(18, [...lengthDelimited(10, RECIPIENT), ...lengthDelimited(18, [8, 9])])
    ])
    assert.deepEqual(AnyMailboxRequest.decode(bytes), { fetch: { recipient: RECIPIENT, epochs: [7, 8, 9] } })
  })

  it('reads a fetch\'s `since` as protons writes it, and refuses one of the wrong wire type', () => {
    const request = { fetch: { recipient: RECIPIENT, epochs: [7], since: 1_700_000_000_123n } }
    assert.deepEqual(AnyMailboxRequest.decode(MailboxRequest.encode(request)), request)
    assert.throws(() => AnyMailboxRequest.decode(Uint8Array.from(lengthDelimited(18, [...lengthDelimited(10, RECIPIENT), ...lengthDelimited(26, [1])]))), { name: 'InvalidMailboxRequestError' })
  })

  it('reads store and offer requests as protons does', () => {
    const key = new Uint8Array(32).fill(1)
    for (const message of [
      { store: { key, envelope: new Uint8Array(500).fill(2), stamp: new Uint8Array(8).fill(3) } },
      { offer: { key, hashes: [new Uint8Array(32).fill(4), new Uint8Array(32).fill(5)] } }
    ]) {
      const bytes = MailboxRequest.encode(message)
      assert.deepEqual(AnyMailboxRequest.decode(bytes), MailboxRequest.decode(bytes))
    }
  })

  it('refuses what is not a valid encoding, and more epochs than a fetch may name', () => {
    const refused = (bytes: ArrayLike<number>): void => {
      assert.throws(() => AnyMailboxRequest.decode(Uint8Array.from(bytes)))
    }
    // a packed run longer than its fetch request
    refused(lengthDelimited(18, [...lengthDelimited(10, RECIPIENT), 18, 5, 1, 2]))
    // a fetch request longer than the message
    refused([18, 50, ...lengthDelimited(10, RECIPIENT)])
    // a varint cut short at the end of a packed run
    refused(lengthDelimited(18, lengthDelimited(18, [0x80])))
    // epochs as a fixed32, a wire type they cannot have
    refused(lengthDelimited(18, [(2 << 3) | 5, 1, 0, 0, 0]))
    // the fetch itself as a varint
    refused([16, 1])
    assert.throws(() => AnyMailboxRequest.decode(request(fetchFields([{ packed: true, epochs: [1, 2, 3, 4, 5, 6, 7, 8, 9] }]))), { name: 'InvalidMailboxRequestError' })
  })
})
