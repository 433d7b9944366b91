import { Styles } from '../canvas.js';
import type { ScreenModule } from './types.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export const queueScreen: ScreenModule = {
  render(canvas, host, area) {
    const screen = host.controller.state.screen;
    if (screen.name !== 'queue') return;
    const y = area.top + Math.floor(area.height / 2) - 2;
    if (screen.suspended) {
      // No spinner and no clock: nobody is searching while the connection is lost.
      canvas.center(y, `Search suspended (${screen.mode}): the connection to the server is lost`, Styles.error);
      canvas.center(y + 2, 'Reconnecting… The search starts again by itself once the connection is back.', Styles.none);
      canvas.center(y + 4, 'Ctrl+R: retry now · Esc or c: cancel', Styles.key);
      return;
    }
    const now = Date.now();
    const seconds = Math.max(0, Math.floor((now - screen.since) / 1000));
    const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    const spin = SPINNER[Math.floor(now / 100) % SPINNER.length];
    const title = screen.entered ? `${spin} Searching for an opponent (${screen.mode})… ${clock}` : `${spin} Entering the ${screen.mode} queue…`;
    canvas.center(y, title, Styles.bold);
    canvas.center(y + 2, 'The game starts by itself as soon as an opponent is found.', Styles.dim);
    canvas.center(y + 4, 'Esc or c: cancel', Styles.key);
  },

  key(key, host) {
    if (key.release) return;
    if (key.name === 'escape' || (key.name === 'char' && !key.ctrl && key.ch?.toLowerCase() === 'c')) void host.controller.cancelQueue();
  },

  hints: (host) => {
    const screen = host.controller.state.screen;
    return screen.name === 'queue' && screen.suspended ? 'Esc/c cancel · Ctrl+R retry now · Ctrl+Q quit' : 'Esc/c cancel the search · Ctrl+Q quit';
  },
};
