/** The control socket's file name inside the data directory */
export const SOCKET_NAME = 'control.sock'

/** Unix socket paths are limited to 108 bytes (sun_path) on Linux, 104 on macOS */
export const MAX_SOCKET_PATH_BYTES = 103

/** Request bodies larger than this are refused (a message is at most 64 KiB of text) */
export const MAX_BODY_BYTES = 256 * 1_024

/** API version prefix of every route */
export const API_PREFIX = '/v1'
