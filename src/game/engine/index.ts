/**
 * The Pong simulation shared by the game server, the browser client and the
 * bots: pure functions over immutable states, no I/O, no clock, no global
 * randomness.
 */
export { GAME_CONFIG } from './config.js';
export type { BallConfig, CanvasConfig, GameConfig, LayoutName, PaddleConfig } from './config.js';
export { layoutFor, layoutForMatchType } from './layout.js';
export type { Layout, MatchType } from './layout.js';
export { seededRandom } from './random.js';
export type { RandomSource } from './random.js';
export { findPaddle, otherTeam } from './state.js';
export type { Ball, Direction, GameState, Paddle, PaddleSlot, Phase, Score, Team } from './state.js';
export { centreSpot, centredPaddleY, initialPaddleX } from './positions.js';
export { serveAngle, serveBall } from './serve.js';
export { createGame, interruptPoint, serveNextPoint, startPoint } from './lifecycle.js';
export type { NewGameOptions } from './lifecycle.js';
export { applyCommand, POSITION_TOLERANCE } from './commands.js';
export type { PaddleCommand } from './commands.js';
export { clampPaddleY, paddleRange } from './paddle-motion.js';
export { stepPhysics } from './physics.js';
export type { PhysicsEvent, PhysicsStep } from './physics.js';
export type { ContactKind } from './paddle-collision.js';
export type { Wall } from './walls.js';
export { creditGoal, scoringTeam } from './goals.js';
export type { GoalCredit } from './goals.js';
export { isInSafeZone, shouldPublish, tickRate } from './timing.js';
export { tick } from './tick.js';
export type { GameEvent, TickResult } from './tick.js';
export { gameStatePayload, mirrorBall, mirrorPaddleX, mirrorState, racketPositions, viewFor } from './mirror.js';
export type { GameStatePayload, RacketPosition, Viewer } from './mirror.js';
export { ballPositionAfter, predictCrossing } from './predict.js';
export type { Crossing } from './predict.js';
