/**
 * The crypto primitives Parley builds on, behind one interface with two implementations:
 * `node` (node:crypto, OpenSSL) and `noble` (@noble/*, pure JS, also runs in browsers). Both
 * accept and return the same raw encodings, so keys and ciphertexts move freely between them.
 *
 * ## Input checking
 * Every method checks its arguments before doing any work: a value that is not a Uint8Array
 * (Buffer is fine) is a `TypeError`, a wrong length is a `RangeError`, and the message names the
 * argument. Outputs are always fresh plain `Uint8Array`s, never views of an input or of a pool.
 *
 * ## AES-256-GCM nonces and per-key limits
 * - Nonces are 96 bits (12 bytes), nothing else is accepted. Tags are the full 128 bits and are
 *   appended to the ciphertext.
 * - A (key, nonce) pair must never encrypt two different messages: a repeat leaks the XOR of the
 *   two plaintexts and the GHASH key, after which tags can be forged under that key.
 * - A key that encrypts exactly one message (a per-message key from a ratchet chain, a key derived
 *   for one sealed envelope) may use a fixed nonce such as 12 zero bytes: the key already makes
 *   the pair unique. Never reuse such a key for a second message.
 * - Any other key uses a fresh random nonce per message (`randomBytes(12)`) and encrypts at most
 *   2^32 messages (`AES_GCM_MAX_MESSAGES_RANDOM_NONCE`, NIST SP 800-38D §8.3), then is replaced.
 *   Counter nonces are safe only with state that can never roll back, which Parley does not
 *   assume.
 * - One message is at most 2^36 - 32 bytes (the GCM limit); in practice memory limits it first.
 * - Decryption failure of any kind is a `DecryptionError` and yields no plaintext; a ciphertext
 *   shorter than the 16-byte tag is malformed and a `RangeError`.
 *
 * ## Other limits
 * - HKDF-SHA256: output 1 to 8160 bytes (255 × 32, RFC 5869); `info` at most 1024 bytes (the
 *   node:crypto limit, applied to both providers so they accept exactly the same inputs); salt
 *   and IKM of any length, an empty salt meaning 32 zero bytes.
 * - `randomBytes`: 0 to 65 536 bytes per call (the Web Crypto quota), on both providers.
 * - X25519: every 32-byte string is a usable private key (it is clamped, RFC 7748 §5); public
 *   keys are taken modulo 2^255 (the top bit is ignored) and those that give the all-zero shared
 *   secret (low-order points) are rejected with `LowOrderPointError`.
 * - ML-KEM-768: the private key is the 64-byte seed `d || z` of FIPS 203 (ML-KEM.KeyGen_internal,
 *   Algorithm 16), which is node:crypto's `raw-seed` format and noble's `keygen(seed)` input, so
 *   both derive the identical key pair from it. The 2400-byte expanded decapsulation key is not
 *   accepted by node:crypto and so by neither provider. Public keys failing the FIPS 203 §7.2
 *   modulus check are rejected with `InvalidKeyError`. Decapsulation of a wrong ciphertext of the
 *   right length does not throw: it returns an unrelated pseudorandom secret (implicit
 *   rejection), so protocols must authenticate what they derive from it.
 */

/** A raw key pair */
export interface KeyPair {
  publicKey: Uint8Array
  privateKey: Uint8Array
}

/** The result of encapsulating to an ML-KEM public key */
export interface Encapsulation {
  /** Sent to the holder of the private key; 1088 bytes for ML-KEM-768 */
  ciphertext: Uint8Array
  /** 32 bytes, known only to the sender and the holder of the private key */
  sharedSecret: Uint8Array
}

export interface CryptoProvider {
  /** Which implementation this is */
  readonly name: 'node' | 'noble'

  /**
   * Bytes from the platform CSPRNG.
   *
   * @param length - 0 to 65 536
   */
  randomBytes(length: number): Uint8Array

  /** A new X25519 key pair: 32-byte private key, 32-byte public key */
  x25519GenerateKeyPair(): Promise<KeyPair>

  /** The 32-byte X25519 public key of a 32-byte private key */
  x25519PublicKey(privateKey: Uint8Array): Promise<Uint8Array>

  /**
   * The 32-byte X25519 shared secret. Feed it to a KDF; never use it as a key directly.
   *
   * @throws LowOrderPointError when the result is all zero (low-order or otherwise degenerate public key)
   */
  x25519(privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array>

  /**
   * A new ML-KEM-768 key pair: 1184-byte public key, 64-byte seed private key. With `seed` the
   * pair is derived from it deterministically (and `privateKey` equals `seed`).
   */
  mlKem768GenerateKeyPair(seed?: Uint8Array): Promise<KeyPair>

  /**
   * Encapsulates a fresh 32-byte shared secret to an ML-KEM-768 public key.
   *
   * @throws InvalidKeyError when the public key fails the FIPS 203 modulus check
   */
  mlKem768Encapsulate(publicKey: Uint8Array): Promise<Encapsulation>

  /**
   * Recovers the 32-byte shared secret from a 1088-byte ciphertext. A tampered ciphertext yields
   * a different, pseudorandom secret rather than an error (implicit rejection).
   */
  mlKem768Decapsulate(privateKey: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>

  /**
   * AES-256-GCM encryption; returns `ciphertext || tag` (plaintext length + 16 bytes). See the
   * module documentation for nonce rules.
   */
  aes256GcmEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData?: Uint8Array): Promise<Uint8Array>

  /**
   * AES-256-GCM decryption of `ciphertext || tag`.
   *
   * @throws DecryptionError when authentication fails for any reason
   */
  aes256GcmDecrypt(key: Uint8Array, nonce: Uint8Array, ciphertextWithTag: Uint8Array, associatedData?: Uint8Array): Promise<Uint8Array>

  /** HKDF-SHA256 (RFC 5869), extract then expand to `length` bytes (1 to 8160) */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array>

  /** HMAC-SHA256 (RFC 2104), 32 bytes. Compare tags with a constant-time comparison. */
  hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>

  /**
   * HMAC-SHA256 of each of `messages` under one key, in order: the same as `hmacSha256(key, m)`
   * for each, with the key set up once (a KDF chain step takes two MACs under the chain key).
   */
  hmacSha256Each(key: Uint8Array, messages: readonly Uint8Array[]): Promise<Uint8Array[]>

  /** SHA-256, 32 bytes */
  sha256(data: Uint8Array): Uint8Array

  /** SHA-512, 64 bytes */
  sha512(data: Uint8Array): Uint8Array
}
