/** The protobuf types want ArrayBuffer-backed arrays, which every array here is */
export function own (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>
}
