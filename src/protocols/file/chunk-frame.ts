/**
 * A chunk frame encoded without copying the chunk: protobuf fields are independent records, so
 * `FileChunk.encode(chunk)` is the encoding of the fields before the ciphertext, then the
 * ciphertext's own record, then the proof's. The 256 KiB ciphertext goes to the stream as it
 * is, in a list with its small neighbours, instead of into a new buffer (an allocation and a
 * copy per chunk, a tenth of the sender's time).
 */
import { Uint8ArrayList } from 'uint8arraylist'
import { FileChunk } from './pb/file.ts'

const EMPTY = new Uint8Array(0)
/** Field 3 (`ciphertext`), wire type 2 (length-delimited) */
const CIPHERTEXT_TAG = (3 << 3) | 2

/** The same bytes as `FileChunk.encode(chunk)`, with `chunk.ciphertext` not copied */
export function encodeChunkFrame (chunk: FileChunk): Uint8ArrayList {
  const frame = new Uint8ArrayList(FileChunk.encode({ index: chunk.index, nonce: chunk.nonce, ciphertext: EMPTY, proof: [] }))
  if (chunk.ciphertext.byteLength > 0) {
    frame.append(Uint8Array.of(CIPHERTEXT_TAG, ...varint(chunk.ciphertext.byteLength)))
    frame.append(chunk.ciphertext)
  }
  if (chunk.proof.length > 0) frame.append(FileChunk.encode({ index: 0, nonce: EMPTY, ciphertext: EMPTY, proof: chunk.proof }))
  return frame
}

/** An unsigned LEB128 varint */
function varint (value: number): number[] {
  const bytes: number[] = []
  while (value >= 0x80) {
    bytes.push((value % 0x80) | 0x80)
    value = Math.floor(value / 0x80)
  }
  bytes.push(value)
  return bytes
}
