/** The texts the friends feature answers with (docs/api.md): clients match on them, so they come from the server's own list. */
export { FriendMessages } from '../features/friends/messages.js';
