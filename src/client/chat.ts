/**
 * What a person reads when the server refuses a chat message with 429: one
 * author posts at most 10 messages in one chat per 10 s (docs/api.md,
 * Throttling). Shared by the web and terminal clients; both keep the text
 * typed, so sending it again is one key.
 */
export const CHAT_FLOOD_REFUSED = 'Too many messages at once: wait a few seconds, then send it again.';
