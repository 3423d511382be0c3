export const ENVELOPE_VERSION = 1
export const SALT_PREFIX = 'Parley_SealedSender_v1'
export const INFO_EPHEMERAL = 'Parley_SealedSender_Ephemeral'
export const INFO_STATIC = 'Parley_SealedSender_Static'

/** An envelope's body is at most this large (a padded message with session set-up fits easily) */
export const MAX_ENVELOPE_BYTES = 256 * 1_024
