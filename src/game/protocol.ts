/**
 * The game socket protocol (docs/game-protocol.md), over a plain WebSocket:
 * one JSON text frame per message, `{"event": "<name>", "data": <payload or null>}`.
 * Shared by the server, the browser client and the bots: no Node APIs here.
 */
import type { GameStatePayload } from './engine/index.js';

export const GAME_SOCKET_PATH = '/ws/game/';
/** Query parameters of the upgrade request. */
export const TOKEN_PARAM = 'token';
export const MATCH_CODE_PARAM = 'match_code';

/** Frames longer than this are refused (a legal client frame is well under 100 bytes). */
export const MAX_CLIENT_FRAME_BYTES = 1024;

export type TeamLetter = 'a' | 'b';

/** Server -> client, by event name. */
export interface ServerMessages {
  canvas: { canvas_width: number; canvas_height: number };
  /** User id (as a string key) -> paddle x in the recipient's perspective. */
  rackets: Record<string, number>;
  game_state: GameStatePayload;
  start_countdown: null;
  start_game: null;
  move_up: { player: number };
  move_down: { player: number };
  stop_moving: { player: number; position: number };
  score: { team_a: number; team_b: number };
  /**
   * `forfeited_by` (always sent by this server, docs/game-protocol.md): the user whose absence ended the
   * match (`player-disconnect`, `player-not-connected`), null for any other ending. `match_id`:
   * the finished match's id, for its match object and its replay (`/api/game/matches/<id>/replay/`); sent when the
   * match's result was recorded, absent when the room ends without one (a match discarded before anyone played it,
   * a server error).
   */
  game_over: { reason: string; winner: TeamLetter | null; team_a: number; team_b: number; forfeited_by?: number | null; match_id?: number };
  error: { message: string };
  /**
   * Sent by this server beyond the base events (docs/game-protocol.md; clients may ignore them). A seated player's connection closed after the start
   * sequence: the ball stops until every seat is taken again, and `seconds` (whole seconds, 10 at first)
   * is what he has left to come back before his team forfeits. Sent to the room when he leaves, and in
   * the catch-up of anyone connecting while his seat is empty.
   */
  player_disconnected: { player: number; seconds: number };
  /** He came back in time (to the room except his new connection); with no seat empty, play resumes with `start_countdown`. */
  player_reconnected: { player: number };
}

/** Client -> server. */
export interface ClientMessages {
  move_up: null;
  move_down: null;
  stop_moving: { position: number };
}

export type ServerEvent = keyof ServerMessages;
export type ClientEvent = keyof ClientMessages;
export type ServerFrame = { [K in ServerEvent]: { event: K; data: ServerMessages[K] } }[ServerEvent];
export type ClientFrame = { [K in ClientEvent]: { event: K; data: ClientMessages[K] } }[ClientEvent];

/** Close codes of a refused or ended connection; the close reason carries the human-readable text. */
export const CloseCodes = {
  /** Game over: the server closes the players' sockets 0.5 s after `game_over`. */
  normal: 1000,
  /** No token, or the token was refused. */
  unauthenticated: 4001,
  /** Not a player of any running game, or not allowed here. */
  forbidden: 4003,
  /** No running game has the requested code. */
  notFound: 4004,
  /** Another connection of the same player took the seat. */
  replaced: 4008,
  /** The server could not reach a service it needs. */
  unavailable: 4503,
  /** The sender flooded the socket (far more frames per second than a player sends). */
  policyViolation: 1008,
  /** The node is shutting down: reconnect (the load balancer picks another node, the match goes on there). */
  restarting: 1012,
} as const;

export const ErrorTexts = {
  needPosition: 'Need position data for event stop_moving',
  malformed: 'Malformed message.',
  tooLarge: 'Message too large.',
  tooMany: 'Too many messages.',
  unknownEvent: (event: string) => `Unknown event ${event}.`.slice(0, 80),
  noMatch: (code: string) => `No match with code ${code} is running on this server`,
  replaced: 'Replaced by a new connection.',
  gameOver: 'Game over.',
  serverError: 'Server Error',
  restarting: 'Server restarting.',
} as const;

export function encodeServerFrame<K extends ServerEvent>(event: K, data: ServerMessages[K]): string {
  return JSON.stringify({ event, data: data ?? null });
}

export function encodeClientFrame<K extends ClientEvent>(event: K, data: ClientMessages[K]): string {
  return JSON.stringify({ event, data: data ?? null });
}

export type Decoded<F> = { ok: true; frame: F } | { ok: false; error: string };

const CLIENT_EVENTS: readonly string[] = ['move_up', 'move_down', 'stop_moving'];

function parseEnvelope(text: string): { event: string; data: unknown } | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { event, data } = value as { event?: unknown; data?: unknown };
  if (typeof event !== 'string') return null;
  return { event, data: data ?? null };
}

/** Reads one client frame; anything else is an error text for the sender, never a crash. */
export function decodeClientFrame(text: string): Decoded<ClientFrame> {
  if (text.length > MAX_CLIENT_FRAME_BYTES) return { ok: false, error: ErrorTexts.tooLarge };
  const envelope = parseEnvelope(text);
  if (!envelope) return { ok: false, error: ErrorTexts.malformed };
  if (!CLIENT_EVENTS.includes(envelope.event)) return { ok: false, error: ErrorTexts.unknownEvent(envelope.event) };
  if (envelope.event !== 'stop_moving') return { ok: true, frame: { event: envelope.event as 'move_up' | 'move_down', data: null } };
  const position = (envelope.data as { position?: unknown } | null)?.position;
  if (typeof position !== 'number' || !Number.isFinite(position)) return { ok: false, error: ErrorTexts.needPosition };
  return { ok: true, frame: { event: 'stop_moving', data: { position } } };
}

/** Reads one server frame (clients and bots); null for anything that is not one. */
export function decodeServerFrame(text: string): ServerFrame | null {
  const envelope = parseEnvelope(text);
  return envelope ? (envelope as ServerFrame) : null;
}

/** The upgrade URL of a client: `wss://host/ws/game/?token=…[&match_code=…]`. */
export function gameSocketUrl(baseUrl: string, token: string, matchCode?: string): string {
  const url = new URL(GAME_SOCKET_PATH, baseUrl.replace(/^http/, 'ws'));
  url.searchParams.set(TOKEN_PARAM, token);
  if (matchCode) url.searchParams.set(MATCH_CODE_PARAM, matchCode);
  return url.toString();
}
