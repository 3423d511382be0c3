/** The message database's directory inside a data directory */
export const MESSAGES_DIR = 'messages'

/** libp2p's datastore (peer store, DHT records) inside a data directory */
export const PEERSTORE_DIR = 'peerstore'

/** Received files, unless the user names another folder (partial ones in its `.partial`) */
export const DOWNLOADS_DIR = 'downloads'
