import type { LayoutName } from '../engine/config.js';
import type { Layout } from '../engine/layout.js';
import type { Score } from '../engine/state.js';
import { ByteReader, ByteWriter } from './bytes.js';

/**
 * The stored recording of one match (docs/replays.md, The stored recording):
 * a header, then one record per input or flow event. Inputs, by far the most
 * frequent, fit in one byte when they follow the previous record within 6
 * ticks: the command in bits 0–1, the slot in bits 2–4, the tick delta in
 * bits 5–7 (7: the delta minus 7 follows as a varint). Bits 0–1 set to 3 mark
 * any other record: its kind in bits 2–5, then the tick delta as a varint.
 */
export const RECORDING_VERSION = 1;

const EXTENDED = 3;
const INLINE_DELTA_ESCAPE = 7;

export const RecordKind = {
  moveUp: 0,
  moveDown: 1,
  stop: 2,
  /** Informational: the engine finds goals itself; its byte is the scorer's slot, plus 8 for an own goal. */
  goal: 3,
  countdown: 4,
  startGame: 5,
  resume: 6,
  score: 7,
  serve: 8,
  disconnected: 9,
  reconnected: 10,
  gameOver: 11,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

/** `game_over` reasons by code; a reason not listed here is stored in full after the code 255. */
export const END_REASONS = ['normal-end', 'player-disconnect', 'player-not-connected', 'players-timeout', 'game-not-played'] as const;
export const OTHER_REASON = 255;

const SLOT_KINDS: ReadonlySet<number> = new Set([
  RecordKind.moveUp, RecordKind.moveDown, RecordKind.stop, RecordKind.goal, RecordKind.disconnected, RecordKind.reconnected,
]);

const LAYOUT_NAMES: readonly LayoutName[] = ['normal', 'clash', 'local'];
/** Every number of the engine's Layout, in stored order (after the name). */
const LAYOUT_NUMBERS = [
  'width', 'height', 'paddleWidth', 'paddleHeight', 'paddleSpeed', 'ledgeOffset', 'paddleOffset', 'paddlesPerTeam',
  'ballSize', 'serveSpeed', 'speedIncrement', 'maxSpeed', 'maxBounceAngle', 'baseTickRate', 'safeTickRate', 'winningScore',
] as const satisfies ReadonlyArray<keyof Layout>;

export interface RecordingHeader {
  readonly layout: Layout;
  readonly seed: number;
  /** The room was rebuilt for a match already under way (another node took it over, or a restart). */
  readonly takeover: boolean;
  /** The recorded score the room started from. */
  readonly startScore: Score;
  /** User ids by slot: team a in list order, then team b. */
  readonly players: readonly number[];
}

export interface RecordedEvent {
  /** Engine ticks run before this record (since the start of the recording). */
  readonly tick: number;
  /** Clock ms since the start of the recording; flow records only (inputs and goals carry the last one known). */
  readonly ms: number;
  readonly kind: RecordKind;
  /** The slot of an input, goal, disconnection or reconnection. */
  readonly slot: number;
  readonly ownGoal: boolean;
  /** `stop_moving`: the client's y the server adopted, null when it kept its own. */
  readonly position: number | null;
  /** `score`, `game_over`. */
  readonly score: Score | null;
  readonly reason: string | null;
  /** `game_over`: the slot of the player whose absence ended the match. */
  readonly forfeitSlot: number | null;
}

export interface DecodedRecording {
  readonly version: number;
  readonly header: RecordingHeader;
  readonly events: readonly RecordedEvent[];
  readonly durationTicks: number;
  readonly durationMs: number;
}

export function writeHeader(writer: ByteWriter, header: RecordingHeader): void {
  writer.byte(RECORDING_VERSION);
  writer.byte(Math.max(0, LAYOUT_NAMES.indexOf(header.layout.name)));
  for (const key of LAYOUT_NUMBERS) writer.number(header.layout[key]);
  writer.byte(header.layout.slowsDownInSafeZone ? 1 : 0);
  writer.varint(header.seed);
  writer.byte(header.takeover ? 1 : 0);
  writer.varint(header.startScore.a);
  writer.varint(header.startScore.b);
  writer.varint(header.players.length);
  for (const id of header.players) writer.varint(id);
}

function readHeader(reader: ByteReader): { version: number; header: RecordingHeader } {
  const version = reader.byte();
  if (version !== RECORDING_VERSION) throw new RangeError(`unknown replay recording version ${version}`);
  const name = LAYOUT_NAMES[reader.byte()] ?? 'normal';
  const numbers: Record<string, number> = {};
  for (const key of LAYOUT_NUMBERS) numbers[key] = reader.number() ?? 0;
  const layout = { name, ...numbers, slowsDownInSafeZone: reader.byte() === 1 } as unknown as Layout;
  const seed = reader.varint();
  const takeover = reader.byte() === 1;
  const startScore = { a: reader.varint(), b: reader.varint() };
  const players = Array.from({ length: reader.varint() }, () => reader.varint());
  return { version, header: { layout, seed, takeover, startScore, players } };
}

/** An input record: one byte when `delta` is below 7. */
export function writeInput(writer: ByteWriter, kind: typeof RecordKind.moveUp | typeof RecordKind.moveDown | typeof RecordKind.stop, slot: number, delta: number): void {
  const inline = Math.min(delta, INLINE_DELTA_ESCAPE);
  writer.byte(kind | (slot << 2) | (inline << 5));
  if (inline === INLINE_DELTA_ESCAPE) writer.varint(delta - INLINE_DELTA_ESCAPE);
}

/** The head of any other record; its payload follows. */
export function writeExtended(writer: ByteWriter, kind: RecordKind, delta: number): void {
  writer.byte(EXTENDED | ((kind - RecordKind.goal) << 2));
  writer.varint(delta);
}

/** Reads a whole recording; throws a RangeError on anything malformed. */
export function decodeRecording(bytes: Uint8Array): DecodedRecording {
  const reader = new ByteReader(bytes);
  const { version, header } = readHeader(reader);
  const events: RecordedEvent[] = [];
  let tick = 0;
  let ms = 0;
  while (!reader.done) {
    const head = reader.byte();
    let kind: RecordKind;
    let slot = 0;
    let position: number | null = null;
    let score: Score | null = null;
    let reason: string | null = null;
    let forfeitSlot: number | null = null;
    let ownGoal = false;
    if ((head & 3) !== EXTENDED) {
      kind = (head & 3) as RecordKind;
      slot = (head >> 2) & 7;
      const inline = head >> 5;
      tick += inline === INLINE_DELTA_ESCAPE ? INLINE_DELTA_ESCAPE + reader.varint() : inline;
      if (kind === RecordKind.stop) position = reader.number();
    } else {
      kind = (((head >> 2) & 15) + RecordKind.goal) as RecordKind;
      tick += reader.varint();
      switch (kind) {
        case RecordKind.goal: {
          const arg = reader.byte();
          slot = arg & 7;
          ownGoal = (arg & 8) !== 0;
          break;
        }
        case RecordKind.countdown:
        case RecordKind.startGame:
        case RecordKind.resume:
        case RecordKind.serve:
          ms += reader.varint();
          break;
        case RecordKind.disconnected:
        case RecordKind.reconnected:
          ms += reader.varint();
          slot = reader.byte();
          break;
        case RecordKind.score:
          ms += reader.varint();
          score = { a: reader.varint(), b: reader.varint() };
          break;
        case RecordKind.gameOver: {
          ms += reader.varint();
          const code = reader.byte();
          score = { a: reader.varint(), b: reader.varint() };
          const forfeit = reader.varint();
          forfeitSlot = forfeit === 0 ? null : forfeit - 1;
          reason = code === OTHER_REASON ? readText(reader) : END_REASONS[code] ?? 'normal-end';
          break;
        }
        default:
          throw new RangeError(`unknown replay record kind ${kind}`);
      }
    }
    if (SLOT_KINDS.has(kind) && slot >= header.players.length) {
      throw new RangeError(`replay record for slot ${slot} of ${header.players.length}`);
    }
    if (forfeitSlot !== null && forfeitSlot >= header.players.length) throw new RangeError(`replay forfeit by slot ${forfeitSlot}`);
    events.push({ tick, ms, kind, slot, ownGoal, position, score, reason, forfeitSlot });
  }
  return { version, header, events, durationTicks: tick, durationMs: ms };
}

/** The reason of a `game_over` record: its code in the record's high nibble, or the text for an unlisted one. */
export function reasonCode(reason: string): number {
  const code = (END_REASONS as readonly string[]).indexOf(reason);
  return code === -1 ? OTHER_REASON : code;
}

export function writeText(writer: ByteWriter, text: string): void {
  const codes = Array.from(text.slice(0, 64), (c) => c.charCodeAt(0) & 0x7f);
  writer.varint(codes.length);
  for (const code of codes) writer.byte(code);
}

function readText(reader: ByteReader): string {
  const length = reader.varint();
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(reader.byte());
  return text;
}
