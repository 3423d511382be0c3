import { toString as toHex } from 'uint8arrays/to-string'

/** "sha-256 AB:CD:..." of a DER certificate, as SDP's a=fingerprint and the signalling write it */
export async function fingerprintOf (der: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der))
  return `sha-256 ${toHex(digest, 'base16').toUpperCase().match(/../g)!.join(':')}`
}

/** This side's certificate's sha-256 fingerprint, as the signalling writes it */
export function certificateFingerprint (certificate: RTCCertificate): string {
  const sha256 = certificate.getFingerprints().find(f => f.algorithm === 'sha-256')
  if (sha256?.value == null) throw new Error('the certificate has no sha-256 fingerprint')
  return `sha-256 ${sha256.value.toUpperCase()}`
}

/** Whether two fingerprints as written name the same digest */
export function sameFingerprint (a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase()
}

/**
 * What a call's connection presents to check against the signalled fingerprint: every
 * certificate its DTLS transports (each once) were shown; `wait` while a transport is still in
 * its handshake and none was shown one yet (Chromium can call the connection connected a moment
 * before); `closed` when every transport was closed first (the call is ending: whichever side
 * closed it, its end comes by the signalling, and a closed transport shows no certificate);
 * `none` when every handshake is over and nobody presented one
 */
export function presentedCertificates (transports: Array<RTCDtlsTransport | null | undefined>): ArrayBuffer[] | 'wait' | 'closed' | 'none' {
  const unique = [...new Set(transports.filter((t): t is RTCDtlsTransport => t != null))]
  const certificates = unique.flatMap(t => t.getRemoteCertificates())
  if (certificates.length > 0) return certificates
  if (unique.some(t => t.state === 'new' || t.state === 'connecting')) return 'wait'
  return unique.length > 0 && unique.every(t => t.state === 'closed') ? 'closed' : 'none'
}
