import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  createGame,
  seededRandom,
  serveNextPoint,
  startPoint,
  tick,
  type GameEvent,
  type GameState,
  type LayoutName,
  type PaddleCommand,
} from '../../src/game/engine/index.js';

interface Recording {
  readonly states: GameState[];
  readonly events: GameEvent[][];
  readonly published: boolean[];
}

const COMMANDS: PaddleCommand['type'][] = ['move_up', 'move_down', 'stop_moving'];

/**
 * Plays a game where every paddle receives a pseudo-random command now and then.
 * `serveSeed` drives the engine, `inputSeed` the scripted players.
 */
function record(layout: LayoutName, serveSeed: number, inputSeed: number, maxTicks = 20_000): Recording {
  const serves = seededRandom(serveSeed);
  const inputs = seededRandom(inputSeed);
  let state = startPoint(createGame({ layout, random: serves }));
  const recording: Recording = { states: [state], events: [], published: [] };
  for (let t = 0; t < maxTicks && state.phase !== 'over'; t += 1) {
    for (const paddle of state.paddles) {
      if (inputs() < 0.05) {
        const type = COMMANDS[Math.floor(inputs() * COMMANDS.length)];
        const command: PaddleCommand =
          type === 'stop_moving' ? { type, position: paddle.y + (inputs() - 0.5) * 80 } : { type };
        state = applyCommand(state, paddle, command);
      }
    }
    const result = tick(state);
    state = result.state;
    if (state.phase === 'scored') state = startPoint(serveNextPoint(state, serves));
    recording.states.push(state);
    recording.events.push([...result.events]);
    recording.published.push(result.publishState);
  }
  return recording;
}

describe('determinism', () => {
  it.each(['normal', 'clash', 'local'] as const)('replays a %s game exactly from the same seeds and inputs', (layout) => {
    const first = record(layout, 11, 22);
    const second = record(layout, 11, 22);
    expect(second.states).toEqual(first.states);
    expect(second.events).toEqual(first.events);
    expect(second.published).toEqual(first.published);
    // The script is long enough to be meaningful: hits, bounces and goals all happened.
    const all = first.events.flat();
    expect(all.some((event) => event.type === 'paddle-hit')).toBe(true);
    expect(all.some((event) => event.type === 'wall-bounce')).toBe(true);
    expect(all.some((event) => event.type === 'goal')).toBe(true);
  });

  it('serves differently with another seed', () => {
    const first = record('normal', 11, 22, 1);
    const other = record('normal', 12, 22, 1);
    expect(other.states[0].ball).not.toEqual(first.states[0].ball);
  });

  it('resumes identically from a JSON snapshot', () => {
    const original = record('clash', 5, 6, 400);
    expect(original.states[200].phase).toBe('live');
    const snapshot = JSON.parse(JSON.stringify(original.states[200])) as GameState;
    expect(snapshot).toEqual(original.states[200]);
    let fromOriginal = original.states[200];
    let fromSnapshot = snapshot;
    for (let i = 0; i < 150 && fromOriginal.phase === 'live'; i += 1) {
      fromOriginal = tick(fromOriginal).state;
      fromSnapshot = tick(fromSnapshot).state;
    }
    expect(fromSnapshot).toEqual(fromOriginal);
  });

  it('never mutates the state it is given', () => {
    const state = startPoint(createGame({ layout: 'normal', random: seededRandom(3) }));
    const copy = JSON.parse(JSON.stringify(state)) as GameState;
    let next = applyCommand(state, { team: 'a', index: 0 }, { type: 'move_down' });
    for (let i = 0; i < 30; i += 1) next = tick(next).state;
    expect(state).toEqual(copy);
    expect(next).not.toEqual(state);
  });
});
