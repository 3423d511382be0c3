import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { MAX_RECEIPT_IDS } from '../../src/messenger/constants.ts'
import { bodyOf, decodeContent, encodeContent } from '../../src/messenger/content.ts'
import { FileStatus } from '../../src/messenger/pb/content.ts'

const fixture: Record<string, string> = JSON.parse(await readFile(new URL('../fixtures/content/first-release.json', import.meta.url), 'utf8'))
const id = new Uint8Array(16).fill(7)

describe('message content', () => {
  describe('read as the first release wrote it', () => {
    it('a text', () => {
      const content = decodeContent(fromHex(fixture.text, 'base16'))
      assert.deepEqual(bodyOf(content), { kind: 'text', text: 'hello from the first release' })
    })

    it('a file offer, with the empty text it carried beside it', () => {
      const body = bodyOf(decodeContent(fromHex(fixture.file, 'base16')))
      assert.equal(body.kind, 'file')
      assert.equal(body.kind === 'file' && body.offer.name, 'photo.jpg')
      assert.equal(body.kind === 'file' && body.offer.size, 12345n)
    })

    it('a delivery receipt', () => {
      const body = bodyOf(decodeContent(fromHex(fixture.receipt, 'base16')))
      assert.equal(body.kind, 'receipt')
      assert.deepEqual(body.kind === 'receipt' && body.ids.map(i => i[0]), [9, 10])
    })

    it('a file status', () => {
      const body = bodyOf(decodeContent(fromHex(fixture.fileStatus, 'base16')))
      assert.equal(body.kind, 'file-status')
      assert.equal(body.kind === 'file-status' && body.status.state, FileStatus.State.CANCELLED)
    })
  })

  describe('written so that the first release reads it', () => {
    it('a text, a receipt and a file status byte for byte as it wrote them', () => {
      assert.equal(toHex(encodeContent({ id, timestamp: 1765000000000n, text: 'hello from the first release', delivers: [] }), 'base16'), fixture.text)
      assert.equal(toHex(encodeContent({ id, timestamp: 1765000000002n, delivers: [new Uint8Array(16).fill(9), new Uint8Array(16).fill(10)] }), 'base16'), fixture.receipt)
      assert.equal(toHex(encodeContent({ id, timestamp: 1765000000003n, delivers: [], fileStatus: { id: new Uint8Array(16).fill(1), state: FileStatus.State.CANCELLED } }), 'base16'), fixture.fileStatus)
    })

    it('a file offer as it wrote it but for the empty text (which it read as absent: `text ?? \'\'`)', () => {
      const offer = { id: new Uint8Array(16).fill(1), name: 'photo.jpg', size: 12345n, type: 'image/jpeg', root: new Uint8Array(32).fill(2), key: new Uint8Array(32).fill(3) }
      const written = toHex(encodeContent({ id, timestamp: 1765000000001n, delivers: [], file: offer }), 'base16')
      assert.equal(written, fixture.file.replace('1a002a70', '2a70'))
    })
  })

  it('takes a kind this release does not know as unsupported, not as an error', () => {
    // field 99, length-delimited: what a later release's new kind looks like here
    const later = new Uint8Array([...encodeContent({ id, timestamp: 1n, delivers: [] }), 0x9a, 0x06, 0x02, 0x08, 0x01])
    assert.deepEqual(bodyOf(decodeContent(later)), { kind: 'unsupported' })
  })

  it('gives an empty text its own kind, for the text handler to refuse', () => {
    assert.deepEqual(bodyOf(decodeContent(encodeContent({ id, timestamp: 1n, text: '', delivers: [] }))), { kind: 'text', text: '' })
  })

  it('refuses bytes that are not a content, and receipts over the cap, with InvalidContentError', () => {
    assert.throws(() => decodeContent(new Uint8Array([0x0a, 0xff])), { name: 'InvalidContentError' })
    const tooMany = encodeContent({ id, timestamp: 1n, delivers: Array.from({ length: MAX_RECEIPT_IDS + 1 }, () => new Uint8Array(16)) })
    assert.throws(() => decodeContent(tooMany), { name: 'InvalidContentError' })
    const tooManyRead = encodeContent({ id, timestamp: 1n, delivers: [], read: { ids: Array.from({ length: MAX_RECEIPT_IDS + 1 }, () => new Uint8Array(16)) } })
    assert.throws(() => decodeContent(tooManyRead), { name: 'InvalidContentError' })
  })
})
