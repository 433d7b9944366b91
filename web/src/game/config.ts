import { GAME_CONFIG, layoutFor, type GameConfig, type Layout, type LayoutName } from '@shared/engine/index.js';

/** `/gameConfig.json`, read once; the built-in copy of the engine if it cannot be loaded. */
let loaded: Promise<GameConfig> | null = null;

export function gameConfig(): Promise<GameConfig> {
  loaded ??= fetch('/gameConfig.json')
    .then((response) => (response.ok ? (response.json() as Promise<GameConfig>) : GAME_CONFIG))
    .catch(() => GAME_CONFIG);
  return loaded;
}

export async function loadLayout(name: LayoutName): Promise<Layout> {
  return layoutFor(name, await gameConfig());
}
