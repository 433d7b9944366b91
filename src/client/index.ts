/**
 * The one typed client of the platform (src/client/README.md), for browsers and Node alike: the HTTP API
 * (`ApiClient`), the live stream (`LiveStream`), the game socket (`openGameSocket`) and the game model
 * (`GameModel`). Node programs add `node.ts` (a fetch and a WebSocket that accept a self-signed certificate).
 */
export * from './http.js';
export * from './events.js';
export * from './game-socket.js';
export * from './game-model.js';
export * from './tokens.js';
export * from './bracket.js';
export * from './chat.js';
export * from './friends.js';
export type * from './types.js';
