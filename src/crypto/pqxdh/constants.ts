/** HKDF info of the key agreement: names the curve, hash and KEM so no other protocol shares keys */
export const INFO_PQXDH = 'Parley_PQXDH_X25519_SHA-256_ML-KEM-768'

/** Domain-separation prefixes of the identity key's signatures over prekeys */
export const SIGNED_PREKEY_LABEL = 'Parley_SignedPrekey_X25519:'
export const PQ_PREKEY_LABEL = 'Parley_SignedPrekey_ML-KEM-768:'

export const X25519_KEY_BYTES = 32
export const ED25519_KEY_BYTES = 32
export const ED25519_SIGNATURE_BYTES = 64
export const ML_KEM_768_PUBLIC_BYTES = 1_184
export const ML_KEM_768_CIPHERTEXT_BYTES = 1_088
