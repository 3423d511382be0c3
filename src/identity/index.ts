export {
  loadIdentity, loadOrCreateIdentity, saveNewIdentity, rewriteIdentity, resolveDataDir, identityPath,
  IDENTITY_FILE, DATA_DIR_ENV, DEFAULT_DATA_DIR_NAME, KEY_FILE_MODE, DATA_DIR_MODE
} from './identity.ts'
export type { Identity, IdentityOptions } from './identity.ts'
export { formatInvite, parsePeerArgument, INVITE_PREFIX } from './invite.ts'
export { IdentityCorruptError, IdentityLockedError, IdentityNotFoundError, InvalidPeerError } from './errors.ts'
