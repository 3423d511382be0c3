import fc from 'fast-check'
import * as varint from 'uint8-varint'
import { concat as concatList } from 'uint8arrays/concat'

const concat = (...parts: Uint8Array[]): Uint8Array => concatList(parts)

/**
 * Inputs for wire decoders: protobuf-shaped messages (fields with plausible numbers, each wire
 * type, the wrong one for its field as often as the right one, nested messages, packed runs),
 * then mutated as a hostile peer would: truncated, an oversized or endless length prefix, a
 * byte changed, a field repeated, random bytes appended. Plain random bytes too, and valid
 * encodings (`seeds`) mutated the same way.
 */
export function wireInput (seeds: Uint8Array[] = []): fc.Arbitrary<Uint8Array> {
  const base = fc.oneof(
    { weight: 4, arbitrary: protobufMessage(3) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }) },
    ...(seeds.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...seeds) }] : [])
  )
  return fc.tuple(base, fc.array(mutation(), { maxLength: 3 })).map(([bytes, mutations]) => mutations.reduce((b, m) => m(b), bytes))
}

type Mutation = (bytes: Uint8Array) => Uint8Array

function mutation (): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.nat().map(n => (b: Uint8Array) => b.subarray(0, b.byteLength === 0 ? 0 : n % b.byteLength)),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, v]) => (b: Uint8Array) => {
      if (b.byteLength === 0) return b
      const out = b.slice()
      out[at % out.byteLength] = v
      return out
    }),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map(tail => (b: Uint8Array) => concat(b, tail)),
    fc.constantFrom(
      // a field 1 of the length-delimited type whose length is far beyond the input
      (b: Uint8Array) => concat(Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f), b),
      // a varint that does not end
      (b: Uint8Array) => concat(b, Uint8Array.of(0x08), new Uint8Array(16).fill(0x80)),
      // the message twice: every field repeated
      (b: Uint8Array) => concat(b, b)
    )
  )
}

/** A protobuf message of random fields, nested up to `depth` */
export function protobufMessage (depth: number): fc.Arbitrary<Uint8Array> {
  return fc.array(field(depth), { maxLength: 8 }).map(fields => concat(...fields))
}

function field (depth: number): fc.Arbitrary<Uint8Array> {
  const number = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 16 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 29 - 1 }) })
  const payload: Array<fc.Arbitrary<[number, Uint8Array]>> = [
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(v => [0, uvarint(v)]),
    fc.uint8Array({ minLength: 8, maxLength: 8 }).map(v => [1, v]),
    fc.uint8Array({ maxLength: 96 }).map(v => [2, concat(varint.encode(v.byteLength), v)]),
    fc.uint8Array({ minLength: 4, maxLength: 4 }).map(v => [5, v]),
    fc.constantFrom<[number, Uint8Array]>([3, new Uint8Array(0)], [4, new Uint8Array(0)], [6, new Uint8Array(0)], [7, new Uint8Array(0)])
  ]
  if (depth > 0) {
    payload.push(protobufMessage(depth - 1).map(v => [2, concat(varint.encode(v.byteLength), v)]))
    // a packed run of varints
    payload.push(fc.array(fc.nat(), { maxLength: 16 }).map(ns => {
      const packed = concat(...ns.map(n => varint.encode(n)))
      return [2, concat(varint.encode(packed.byteLength), packed)]
    }))
  }
  return fc.tuple(number, fc.oneof(...payload)).map(([n, [wire, bytes]]) => concat(varint.encode(n * 8 + wire), bytes))
}

/** An unsigned varint of any 64-bit value (uint8-varint stops at 2^63) */
function uvarint (value: bigint): Uint8Array {
  const out: number[] = []
  while (value > 0x7fn) {
    out.push(Number(value & 0x7fn) | 0x80)
    value >>= 7n
  }
  out.push(Number(value))
  return Uint8Array.from(out)
}

/** JSON bodies for the control API: any JSON value, objects with the fields it reads, and not JSON */
export function jsonBody (): fc.Arbitrary<string> {
  const fieldValue = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }), fc.string({ maxLength: 2_000 }))
  return fc.oneof(
    fc.json(),
    fc.record({ peer: fieldValue, text: fieldValue, name: fieldValue, path: fieldValue, passphrase: fieldValue, peers: fc.oneof(fieldValue, fc.array(fieldValue, { maxLength: 3 })) }, { requiredKeys: [] }).map(v => JSON.stringify(v)),
    // the conversation routes' fields: a message reference, an emoji, a timer, the switches
    fc.record({
      peer: fieldValue,
      message: fc.oneof(fieldValue, fc.record({ id: fieldValue, author: fieldValue }, { requiredKeys: [] })),
      replyTo: fc.oneof(fieldValue, fc.record({ id: fieldValue, author: fieldValue }, { requiredKeys: [] })),
      emoji: fieldValue,
      text: fieldValue,
      seconds: fieldValue,
      typing: fieldValue,
      readReceipts: fieldValue,
      typingIndicators: fieldValue
    }, { requiredKeys: [] }).map(v => JSON.stringify(v)),
    fc.string({ maxLength: 200 })
  )
}

/** What a hostile peer writes on a stream: one to three frames, length-prefixed or not */
export function streamInput (): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.array(wireInput(), { minLength: 1, maxLength: 3 }), fc.boolean()).map(([frames, framed]) =>
    concat(...frames.map(f => framed ? concat(varint.encode(f.byteLength), f) : f)))
}
