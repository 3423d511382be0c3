import assert from 'node:assert/strict'
import { formatBytes, transferLabel } from '../../src/browser/ui/file-card.ts'
import { ChunkSet } from '../../src/files/chunk-set.ts'
import { joinPath, pathParts } from '../../src/files/opfs.ts'
import { WINDOWLESS_CHUNKS_PER_REQUEST as MAX_CHUNKS_PER_REQUEST } from '../../src/protocols/file/index.ts'
import { MAX_CHUNK_FRAME_BYTES } from '../../src/protocols/file/constants.ts'
import type { TransferInfo } from '../../src/events/public.ts'

const transfer = (fields: Partial<TransferInfo>): TransferInfo => ({
  id: 'ab'.repeat(16), peer: 'p', direction: 'in', name: 'a.bin', size: 3 * 1_048_576, type: '', root: '', state: 'offered', path: '', bytes: 0, createdAt: 0, updatedAt: 0, ...fields
})

describe('web app: file sharing pieces', () => {
  it('formats sizes in binary units', () => {
    assert.equal(formatBytes(0), '0 B')
    assert.equal(formatBytes(1_023), '1023 B')
    assert.equal(formatBytes(1_536), '1.5 KiB')
    assert.equal(formatBytes(3 * 1_048_576 + 12_345), '3.0 MiB')
    assert.equal(formatBytes(5 * 1_024 ** 3), '5.0 GiB')
  })

  it('labels each state as the user reads it', () => {
    assert.equal(transferLabel(transfer({ state: 'offered' })), 'offered: download it?')
    assert.equal(transferLabel(transfer({ state: 'offered', direction: 'out' })), 'offered')
    assert.equal(transferLabel(transfer({ state: 'offered', direction: 'out', group: 'a'.repeat(32) })), 'shared with the group')
    assert.equal(transferLabel(transfer({ state: 'sending', direction: 'out', group: 'a'.repeat(32), bytes: 524_288 })), 'shared with the group, sending')
    assert.equal(transferLabel(transfer({ state: 'downloading', bytes: 1_048_576 })), 'downloading 1.0 MiB of 3.0 MiB')
    assert.equal(transferLabel(transfer({ state: 'sending', direction: 'out', bytes: 524_288 })), 'sending 512.0 KiB of 3.0 MiB')
    assert.equal(transferLabel(transfer({ state: 'waiting', bytes: 1_048_576 })), 'waiting for the sender (1.0 MiB of 3.0 MiB)')
    assert.equal(transferLabel(transfer({ state: 'paused', error: 'the disk is full' })), 'paused: the disk is full')
    assert.equal(transferLabel(transfer({ state: 'done', path: 'parley/downloads/a.bin' })), 'received')
    assert.equal(transferLabel(transfer({ state: 'done', path: '' })), 'removed from this browser')
    assert.equal(transferLabel(transfer({ state: 'done', direction: 'out' })), 'received by the peer')
    assert.equal(transferLabel(transfer({ state: 'cancelled', error: 'cancelled by the peer' })), 'cancelled by the peer')
    assert.equal(transferLabel(transfer({ state: 'failed', error: 'the sender refused' })), 'failed: the sender refused')
  })

  it('keeps paths in the origin private file system inside it', () => {
    assert.deepEqual(pathParts('/parley//downloads/./a.bin'), ['parley', 'downloads', 'a.bin'])
    assert.equal(joinPath('parley/downloads', '.partial', 'x.part'), 'parley/downloads/.partial/x.part')
    assert.throws(() => pathParts('parley/../../etc'), { name: 'TypeError' })
    assert.throws(() => joinPath('parley', '..'), { name: 'TypeError' })
  })

  it('a receiver on a windowless (WebRTC) connection asks for few enough chunks per stream that unread ones never reach libp2p\'s 4 MiB limit', () => {
    assert.ok(MAX_CHUNKS_PER_REQUEST * MAX_CHUNK_FRAME_BYTES < 4 * 1_048_576, `${MAX_CHUNKS_PER_REQUEST} chunk frames`)
    const have = new ChunkSet(40)
    for (const i of [0, 1, 5, 6, 7, 15]) have.add(i)
    assert.deepEqual(have.missing(), [{ start: 2, end: 5 }, { start: 8, end: 15 }, { start: 16, end: 40 }])
    assert.deepEqual(have.missing(Infinity, 5), [{ start: 2, end: 5 }, { start: 8, end: 10 }])
    assert.deepEqual(have.missing(Infinity, 3), [{ start: 2, end: 5 }])
    assert.deepEqual(have.missing(2, 100), [{ start: 2, end: 5 }, { start: 8, end: 15 }])
    assert.deepEqual(have.missing(Infinity, MAX_CHUNKS_PER_REQUEST).reduce((n, r) => n + r.end - r.start, 0), MAX_CHUNKS_PER_REQUEST)
  })
})
