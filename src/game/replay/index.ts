/**
 * Match replays (docs/replays.md): the recording a live room keeps, its
 * stored encoding, the JSON document the API serves and the player that
 * runs it through the engine. No Node APIs: the web client imports it.
 */
export { decodeRecording, RECORDING_VERSION, RecordKind } from './codec.js';
export type { DecodedRecording, RecordedEvent, RecordingHeader } from './codec.js';
export { MAX_RECORDING_BYTES, ReplayRecorder } from './recorder.js';
export { REPLAY_FORMAT_VERSION, timelineOf } from './document.js';
export type { ReplayDocument, ReplayEvent, ReplayFlowEvent, ReplayGoal, ReplayInput, ReplayPlayerCard } from './document.js';
export { ReplayPlayer, simulateGoals } from './player.js';
export type { ReplayPhase, SimulatedGoal } from './player.js';
