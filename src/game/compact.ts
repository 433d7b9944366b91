/**
 * The compact encoding of the game protocol (docs/game-protocol.md, "The
 * compact encoding"): the same events at the same moments as the JSON
 * frames, as binary WebSocket messages with a fixed layout. A client asks for
 * it with `?encoding=compact` on the upgrade URL; without it nothing changes.
 *
 * Server to client, a binary message holds one or more records back to
 * back, each a tag byte and its fields (little-endian):
 *
 * | tag | event | fields |
 * |---|---|---|
 * | 0x01 | canvas | u16 canvas_width, u16 canvas_height |
 * | 0x02 | rackets | u8 n, then n x (u32 user id, coord x) |
 * | 0x03 | start_countdown | - |
 * | 0x04 | start_game | - |
 * | 0x05 | move_up | u32 player |
 * | 0x06 | move_down | u32 player |
 * | 0x07 | stop_moving | u32 player, coord position |
 * | 0x08 | score | u16 team_a, u16 team_b |
 * | 0x09 | player_disconnected | u32 player, u16 seconds |
 * | 0x0a | player_reconnected | u32 player |
 * | 0x0b | game_over | u8 flags, u16 team_a, u16 team_b, [u32 forfeited_by], [u32 match_id], string reason |
 * | 0x0c | error | string message |
 * | 0x80-0x9f | game_state | the low 5 bits say which fields follow, each a coord: 1 position_x, 2 position_y, 4 speed_x, 8 speed_y, 16 speed; a field left out has the value of the last `game_state` of this connection |
 *
 * A coord is an i16 in 1/16 of a field unit (of a unit per second for
 * speeds): every position and speed of every layout fits (the widest field is
 * 1,800 units); any other value is the i16 -32768 followed by its f64. A
 * string is a u16 byte length and its UTF-8 bytes. `game_over` flags: 1 a
 * winner, 2 the winner is team b, 4 `forfeited_by` is present, 8 it is not
 * null (its u32 follows), 16 `match_id` follows.
 *
 * Client to server, one command per binary message: 0x41 `move_up`, 0x42
 * `move_down`, 0x43 `stop_moving` followed by the f64 position.
 *
 * Pure code, shared by the server, the browser, the terminal client and the bots.
 */
import { ErrorTexts, MAX_CLIENT_FRAME_BYTES, type ClientFrame, type Decoded, type ServerFrame, type ServerMessages } from './protocol.js';

/** The query parameter of the upgrade URL that picks an encoding, and its value for this one. */
export const ENCODING_PARAM = 'encoding';
export const COMPACT_ENCODING = 'compact';
export type WireEncoding = 'json' | 'compact';

/** Coordinates travel in 1/16 of a unit. */
export const COORD_SCALE = 16;
const WIDE = -32768;

export const Tag = {
  canvas: 0x01,
  rackets: 0x02,
  startCountdown: 0x03,
  startGame: 0x04,
  moveUp: 0x05,
  moveDown: 0x06,
  stopMoving: 0x07,
  score: 0x08,
  playerDisconnected: 0x09,
  playerReconnected: 0x0a,
  gameOver: 0x0b,
  error: 0x0c,
  /** | field mask (BallField). */
  gameState: 0x80,
} as const;

export const ClientTag = { moveUp: 0x41, moveDown: 0x42, stopMoving: 0x43 } as const;

/** The `game_state` fields, as bits of its tag. */
export const BallField = { x: 1, y: 2, speedX: 4, speedY: 8, speed: 16, all: 31 } as const;

/** What a `coord` carries of a value: the nearest 1/16, or the value itself when it does not fit. */
export function quantize(value: number): number {
  const q = coordOf(value);
  return q === WIDE ? value : q / COORD_SCALE + 0;
}

/** The i16 of a coord, or WIDE when the value needs its f64. */
function coordOf(value: number): number {
  const q = Math.round(value * COORD_SCALE);
  return q > WIDE && q <= 32767 ? q | 0 : WIDE;
}

/** A base field nobody was sent yet (no coord has this value). */
const UNKNOWN = 0x7fffffff;

/** The ball of a `game_state`, as plain fields (written in place, read by the encoder). */
export interface BallFields {
  x: number;
  y: number;
  speedX: number;
  speedY: number;
  speed: number;
}

/**
 * The last `game_state` of a stream of compact messages, field by field, as
 * its receiver decoded it: the base of the next delta. The server keeps one
 * per perspective of a room, each client one per socket. Kept as the coords
 * themselves (integers; the f64 beside a wide one), so comparing and
 * updating them allocates nothing.
 */
export class BallBase {
  /** x, y, speed_x, speed_y, speed: the coord sent, WIDE (then `wide` holds the value) or UNKNOWN. */
  readonly coords = new Int32Array(5).fill(UNKNOWN);
  readonly wide = new Float64Array(5);
  /** The encoder's scratch: the coords of the message being written. */
  readonly next = new Int32Array(5);

  reset(): void {
    this.coords.fill(UNKNOWN);
  }

  /** The decoded value of field `i` (NaN before any). */
  value(i: number): number {
    const q = this.coords[i];
    return q === UNKNOWN ? NaN : q === WIDE ? this.wide[i] : q / COORD_SCALE + 0;
  }

  /**
   * True when a receiver of this base already knows `ball`, `seconds` after
   * the base was sent: the same speeds (as sent) and a position within
   * `EXTRAPOLATION_TOLERANCE` of the base's moved straight on at them
   * (docs/game-protocol.md, The compact encoding: the ball is sent when its
   * motion changes).
   */
  predicts(ball: BallFields, seconds: number): boolean {
    const coords = this.coords;
    if (coords[0] === UNKNOWN || coords[1] === UNKNOWN) return false;
    if (!this.holds(2, ball.speedX) || !this.holds(3, ball.speedY) || !this.holds(4, ball.speed)) return false;
    return Math.abs(this.value(0) + this.value(2) * seconds - ball.x) <= EXTRAPOLATION_TOLERANCE
      && Math.abs(this.value(1) + this.value(3) * seconds - ball.y) <= EXTRAPOLATION_TOLERANCE;
  }

  /** Field `i` would be sent as it is now. */
  private holds(i: number, v: number): boolean {
    const q = coordOf(v);
    return q === this.coords[i] && (q !== WIDE || Object.is(v, this.wide[i]));
  }
}

/**
 * How far (units) the ball a compact receiver extrapolates may be from the
 * server's before a `game_state` corrects it: far above what the coords'
 * rounding accumulates over a flight (1/32 of a unit, plus 1/32 of a unit a
 * second for the speeds), far below a pixel of the field.
 */
export const EXTRAPOLATION_TOLERANCE = 0.25;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * A growing byte buffer for records. `bytes()` copies what was written
 * (the copy is what leaves; the writer is reused).
 */
export class RecordWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  reset(): this {
    this.length = 0;
    return this;
  }

  /** A copy of the bytes written since the last reset. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** Copies the bytes written since the last reset into `target` at `offset` (byte by byte: records are short, and no view is made). */
  copyInto(target: Uint8Array, offset: number): void {
    const buf = this.buf;
    for (let i = 0; i < this.length; i++) target[offset + i] = buf[i];
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }

  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  f64(v: number): void {
    this.room(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  coord(v: number): void {
    const q = coordOf(v);
    this.i16(q);
    if (q === WIDE) this.f64(v);
  }

  i16(q: number): void {
    this.room(2);
    this.view.setInt16(this.length, q, true);
    this.length += 2;
  }

  string(s: string): void {
    const bytes = utf8.encode(s);
    const n = Math.min(bytes.length, 0xffff);
    this.u16(n);
    this.room(n);
    this.buf.set(bytes.subarray(0, n), this.length);
    this.length += n;
  }
}

function checkId(id: number): number {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new RangeError(`compact encoding: ${id} is not a user id`);
  return id;
}

function countOf(n: number): number {
  return Math.max(0, Math.min(0xffff, Math.round(n)));
}

/**
 * A `game_state` record against `base` (which becomes the new state): only
 * the fields whose quantized value changed. Allocates nothing: the
 * arithmetic is inline (a double passed to a call that is not inlined
 * would be boxed), the coords are integers and the base is typed arrays.
 */
export function writeGameState(w: RecordWriter, base: BallBase, ball: BallFields): void {
  const coords = base.coords;
  const wide = base.wide;
  const scratch = base.next;
  let mask = 0;
  for (let i = 0; i < 5; i++) {
    const v = i === 0 ? ball.x : i === 1 ? ball.y : i === 2 ? ball.speedX : i === 3 ? ball.speedY : ball.speed;
    let q = Math.round(v * COORD_SCALE);
    q = q > WIDE && q <= 32767 ? q | 0 : WIDE;
    scratch[i] = q;
    if (q !== coords[i] || (q === WIDE && !Object.is(v, wide[i]))) mask |= 1 << i;
  }
  w.u8(Tag.gameState | mask);
  for (let i = 0; i < 5; i++) {
    if (!(mask & (1 << i))) continue;
    const q = scratch[i];
    w.i16(q);
    coords[i] = q;
    if (q === WIDE) {
      const v = i === 0 ? ball.x : i === 1 ? ball.y : i === 2 ? ball.speedX : i === 3 ? ball.speedY : ball.speed;
      w.f64(v);
      wide[i] = v;
    }
  }
}

/**
 * One server frame as a record. `base` is the stream's ball base (for
 * `game_state`); without one the record carries every field and sets no base.
 */
export function writeServerRecord(w: RecordWriter, frame: ServerFrame, base: BallBase | null): void {
  switch (frame.event) {
    case 'canvas':
      w.u8(Tag.canvas);
      w.u16(countOf(frame.data.canvas_width));
      w.u16(countOf(frame.data.canvas_height));
      return;
    case 'rackets': {
      const entries = Object.entries(frame.data);
      w.u8(Tag.rackets);
      w.u8(Math.min(entries.length, 255));
      for (const [id, x] of entries.slice(0, 255)) {
        w.u32(checkId(Number(id)));
        w.coord(x);
      }
      return;
    }
    case 'start_countdown':
      w.u8(Tag.startCountdown);
      return;
    case 'start_game':
      w.u8(Tag.startGame);
      return;
    case 'move_up':
    case 'move_down':
      w.u8(frame.event === 'move_up' ? Tag.moveUp : Tag.moveDown);
      w.u32(checkId(frame.data.player));
      return;
    case 'stop_moving':
      w.u8(Tag.stopMoving);
      w.u32(checkId(frame.data.player));
      w.coord(frame.data.position);
      return;
    case 'score':
      w.u8(Tag.score);
      w.u16(countOf(frame.data.team_a));
      w.u16(countOf(frame.data.team_b));
      return;
    case 'player_disconnected':
      w.u8(Tag.playerDisconnected);
      w.u32(checkId(frame.data.player));
      w.u16(countOf(frame.data.seconds));
      return;
    case 'player_reconnected':
      w.u8(Tag.playerReconnected);
      w.u32(checkId(frame.data.player));
      return;
    case 'game_over': {
      const d = frame.data;
      const hasForfeitKey = 'forfeited_by' in d && d.forfeited_by !== undefined;
      const forfeited = hasForfeitKey && d.forfeited_by !== null;
      const hasMatch = d.match_id !== undefined && d.match_id !== null;
      let flags = 0;
      if (d.winner) flags |= 1;
      if (d.winner === 'b') flags |= 2;
      if (hasForfeitKey) flags |= 4;
      if (forfeited) flags |= 8;
      if (hasMatch) flags |= 16;
      w.u8(Tag.gameOver);
      w.u8(flags);
      w.u16(countOf(d.team_a));
      w.u16(countOf(d.team_b));
      if (forfeited) w.u32(checkId(d.forfeited_by as number));
      if (hasMatch) w.u32(checkId(d.match_id as number));
      w.string(d.reason);
      return;
    }
    case 'error':
      w.u8(Tag.error);
      w.string(frame.data.message);
      return;
    case 'game_state': {
      const d = frame.data;
      if (base) {
        writeGameState(w, base, { x: d.position_x, y: d.position_y, speedX: d.speed_x, speedY: d.speed_y, speed: d.speed });
        return;
      }
      w.u8(Tag.gameState | BallField.all);
      w.coord(d.position_x);
      w.coord(d.position_y);
      w.coord(d.speed_x);
      w.coord(d.speed_y);
      w.coord(d.speed);
    }
  }
}

/** Reads records one after the other; a truncated or unknown record ends the message. */
class RecordReader {
  private offset = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  need(n: number): boolean {
    return this.offset + n <= this.bytes.length;
  }

  u8(): number {
    return this.bytes[this.offset++];
  }

  u16(): number {
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  u32(): number {
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  f64(): number {
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }

  coord(): number {
    const q = this.i16();
    if (q !== WIDE) return q / COORD_SCALE + 0;
    if (!this.need(8)) throw truncated;
    return this.f64();
  }

  i16(): number {
    if (!this.need(2)) throw truncated;
    const q = this.view.getInt16(this.offset, true);
    this.offset += 2;
    return q;
  }

  string(): string {
    if (!this.need(2)) throw truncated;
    const n = this.u16();
    if (!this.need(n)) throw truncated;
    const s = utf8Decoder.decode(this.bytes.subarray(this.offset, this.offset + n));
    this.offset += n;
    return s;
  }

  fixed(n: number): void {
    if (!this.need(n)) throw truncated;
  }
}

const truncated = new Error('truncated compact record');

/**
 * Decodes one binary message from the server into its frames, in order,
 * against the socket's ball base. Returns false if the message was
 * malformed (the frames before the bad record are still delivered).
 */
export function decodeServerMessage(bytes: Uint8Array, base: BallBase, emit: (frame: ServerFrame) => void): boolean {
  const r = new RecordReader(bytes);
  try {
    while (!r.done) {
      const tag = r.u8();
      if (tag & Tag.gameState) {
        if (tag & 0x60) return false;
        for (let i = 0; i < 5; i++) {
          if (!(tag & (1 << i))) continue;
          const q = r.i16();
          base.coords[i] = q;
          if (q === WIDE) {
            if (!r.need(8)) return false;
            base.wide[i] = r.f64();
          }
        }
        emit({ event: 'game_state', data: { position_x: base.value(0), position_y: base.value(1), speed_x: base.value(2), speed_y: base.value(3), speed: base.value(4) } });
        continue;
      }
      const frame = readRecord(r, tag);
      if (!frame) return false;
      emit(frame);
    }
    return true;
  } catch {
    return false;
  }
}

function readRecord(r: RecordReader, tag: number): ServerFrame | null {
  switch (tag) {
    case Tag.canvas:
      r.fixed(4);
      return { event: 'canvas', data: { canvas_width: r.u16(), canvas_height: r.u16() } };
    case Tag.rackets: {
      r.fixed(1);
      const n = r.u8();
      const data: Record<string, number> = {};
      for (let i = 0; i < n; i++) {
        r.fixed(4);
        const id = r.u32();
        data[String(id)] = r.coord();
      }
      return { event: 'rackets', data };
    }
    case Tag.startCountdown:
      return { event: 'start_countdown', data: null };
    case Tag.startGame:
      return { event: 'start_game', data: null };
    case Tag.moveUp:
    case Tag.moveDown:
      r.fixed(4);
      return { event: tag === Tag.moveUp ? 'move_up' : 'move_down', data: { player: r.u32() } };
    case Tag.stopMoving: {
      r.fixed(4);
      const player = r.u32();
      return { event: 'stop_moving', data: { player, position: r.coord() } };
    }
    case Tag.score:
      r.fixed(4);
      return { event: 'score', data: { team_a: r.u16(), team_b: r.u16() } };
    case Tag.playerDisconnected:
      r.fixed(6);
      return { event: 'player_disconnected', data: { player: r.u32(), seconds: r.u16() } };
    case Tag.playerReconnected:
      r.fixed(4);
      return { event: 'player_reconnected', data: { player: r.u32() } };
    case Tag.gameOver: {
      r.fixed(5);
      const flags = r.u8();
      const teamA = r.u16();
      const teamB = r.u16();
      let forfeitedBy: number | null = null;
      if (flags & 8) {
        r.fixed(4);
        forfeitedBy = r.u32();
      }
      let matchId: number | undefined;
      if (flags & 16) {
        r.fixed(4);
        matchId = r.u32();
      }
      const reason = r.string();
      const data: ServerMessages['game_over'] = { reason, winner: flags & 1 ? (flags & 2 ? 'b' : 'a') : null, team_a: teamA, team_b: teamB };
      if (flags & 4) data.forfeited_by = forfeitedBy;
      if (matchId !== undefined) data.match_id = matchId;
      return { event: 'game_over', data };
    }
    case Tag.error:
      return { event: 'error', data: { message: r.string() } };
    default:
      return null;
  }
}

/** A client command as one binary message. */
export function encodeClientCompact(frame: ClientFrame): Uint8Array {
  if (frame.event === 'stop_moving') {
    const out = new Uint8Array(9);
    out[0] = ClientTag.stopMoving;
    new DataView(out.buffer).setFloat64(1, frame.data.position, true);
    return out;
  }
  return Uint8Array.of(frame.event === 'move_up' ? ClientTag.moveUp : ClientTag.moveDown);
}

/** Reads one binary command (server side); anything else is an error text for its sender, as in decodeClientFrame. */
export function decodeClientCompact(bytes: Uint8Array): Decoded<ClientFrame> {
  if (bytes.length > MAX_CLIENT_FRAME_BYTES) return { ok: false, error: ErrorTexts.tooLarge };
  if (bytes.length === 1 && bytes[0] === ClientTag.moveUp) return { ok: true, frame: MOVE_UP };
  if (bytes.length === 1 && bytes[0] === ClientTag.moveDown) return { ok: true, frame: MOVE_DOWN };
  if (bytes.length >= 1 && bytes[0] === ClientTag.stopMoving) {
    if (bytes.length !== 9) return { ok: false, error: ErrorTexts.needPosition };
    // `+ 0`: a -0 arrives as 0, as it does through JSON.
    const position = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getFloat64(1, true) + 0;
    if (!Number.isFinite(position)) return { ok: false, error: ErrorTexts.needPosition };
    return { ok: true, frame: { event: 'stop_moving', data: { position } } };
  }
  return { ok: false, error: ErrorTexts.malformed };
}

const MOVE_UP: ClientFrame = Object.freeze({ event: 'move_up', data: null });
const MOVE_DOWN: ClientFrame = Object.freeze({ event: 'move_down', data: null });
