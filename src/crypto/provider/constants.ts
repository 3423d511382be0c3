/** Length of X25519 private keys, public keys and shared secrets, in bytes (RFC 7748) */
export const X25519_KEY_LENGTH = 32

/** Length of an encoded ML-KEM-768 encapsulation (public) key, in bytes (FIPS 203, Table 3) */
export const ML_KEM_768_PUBLIC_KEY_LENGTH = 1184
/** Length of the ML-KEM-768 private key as this module encodes it: the seed `d || z` (FIPS 203 §6.1) */
export const ML_KEM_768_SEED_LENGTH = 64
/** Length of an ML-KEM-768 ciphertext, in bytes (FIPS 203, Table 3) */
export const ML_KEM_768_CIPHERTEXT_LENGTH = 1088
/** Length of an ML-KEM shared secret, in bytes */
export const ML_KEM_SHARED_SECRET_LENGTH = 32

/** AES-256 key length, in bytes */
export const AES_256_GCM_KEY_LENGTH = 32
/** The only nonce length accepted for AES-GCM: 96 bits (NIST SP 800-38D §5.2.1.1) */
export const AES_GCM_NONCE_LENGTH = 12
/** AES-GCM authentication tag length, appended to every ciphertext: the full 128 bits */
export const AES_GCM_TAG_LENGTH = 16
/**
 * Messages one AES-256-GCM key may encrypt under random nonces (NIST SP 800-38D §8.3): past this
 * the chance of a repeated 96-bit nonce exceeds 2^-32. Rotate the key before reaching it.
 */
export const AES_GCM_MAX_MESSAGES_RANDOM_NONCE = 2 ** 32

/** SHA-256 output length, in bytes */
export const SHA256_LENGTH = 32
/** SHA-512 output length, in bytes */
export const SHA512_LENGTH = 64
/** Largest HKDF-SHA256 output: 255 blocks of 32 bytes (RFC 5869 §2.3) */
export const HKDF_SHA256_MAX_LENGTH = 255 * SHA256_LENGTH
/** Largest HKDF `info` accepted, in bytes: node:crypto's limit, enforced by both providers alike */
export const HKDF_MAX_INFO_LENGTH = 1024

/** Most bytes one `randomBytes` call returns: the Web Crypto `getRandomValues` quota, on both providers */
export const MAX_RANDOM_BYTES = 65_536

/** Length of an Ed25519 public key, and of the private key seed, in bytes (RFC 8032) */
export const ED25519_KEY_LENGTH = 32
/** Length of the libp2p form of an Ed25519 private key: `seed || publicKey` */
export const ED25519_EXPANDED_PRIVATE_KEY_LENGTH = 64
