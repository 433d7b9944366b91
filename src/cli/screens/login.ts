import { Styles } from '../canvas.js';
import { isCtrl } from '../keys.js';
import type { ScreenHost, ScreenModule } from './types.js';

/** The login screen: Server, Username, Password; Log in, Register, Continue as guest. */
const FIELDS = ['server', 'username', 'password'] as const;
const BUTTONS = ['Log in', 'Register', 'Continue as guest', 'Quit'] as const;
export const LOGIN_ITEMS = FIELDS.length + BUTTONS.length;
export const LoginFocus = { server: 0, username: 1, password: 2, login: 3, register: 4, guest: 5, quit: 6 } as const;

function commitServer(host: ScreenHost): boolean {
  return host.controller.setServer(host.ui.login.server);
}

export function guest(host: ScreenHost): void {
  if (commitServer(host)) void host.controller.guest();
}

function submit(host: ScreenHost, action: 'login' | 'register'): void {
  const form = host.ui.login;
  if (!commitServer(host)) return;
  if (!form.username || !form.password) {
    host.controller.notice('Type a username and a password first (or continue as a guest).', 'error');
    form.focus = form.username ? LoginFocus.password : LoginFocus.username;
    return;
  }
  void (action === 'login' ? host.controller.login(form.username, form.password) : host.controller.register(form.username, form.password));
}

function activate(host: ScreenHost): void {
  const form = host.ui.login;
  switch (form.focus) {
    case LoginFocus.server:
      commitServer(host);
      form.focus += 1;
      break;
    case LoginFocus.username:
      form.focus += 1;
      break;
    case LoginFocus.password:
    case LoginFocus.login:
      submit(host, 'login');
      break;
    case LoginFocus.register:
      submit(host, 'register');
      break;
    case LoginFocus.guest:
      guest(host);
      break;
    case LoginFocus.quit:
      host.quit();
      break;
  }
}

export const loginScreen: ScreenModule = {
  render(canvas, host, area) {
    const form = host.ui.login;
    const screen = host.controller.state.screen;
    const busy = screen.name === 'login' ? screen.busy : null;
    const boxWidth = Math.min(area.width - 4, 60);
    const x = Math.floor((area.width - boxWidth) / 2);
    const y = area.top + Math.max(0, Math.floor((area.height - 14) / 2));
    canvas.box(x, y, boxWidth, 14, Styles.cyan);
    canvas.center(y, ' Log in to play Pong ', Styles.bold, x, boxWidth);
    const fieldWidth = boxWidth - 16;
    FIELDS.forEach((field, index) => {
      const label = { server: 'Server', username: 'Username', password: 'Password' }[field];
      const value = field === 'password' ? '•'.repeat(form.password.length) : form[field];
      const focused = form.focus === index;
      const shown = value.length >= fieldWidth ? `…${value.slice(value.length - fieldWidth + 2)}` : value;
      canvas.put(x + 2, y + 2 + index * 2, `${label}:`.padEnd(11), focused ? Styles.key : Styles.none);
      canvas.put(x + 13, y + 2 + index * 2, `${shown}${focused ? '▏' : ''}`.padEnd(fieldWidth), focused ? '4;1' : '4');
    });
    // The buttons stay inside the box: those that do not fit on the row go to the next one.
    let bx = x + 2;
    let by = y + 9;
    BUTTONS.forEach((label, index) => {
      const focused = form.focus === FIELDS.length + index;
      const text = `[ ${label} ]`;
      if (bx > x + 2 && bx + text.length > x + boxWidth - 2) {
        bx = x + 2;
        by += 1;
      }
      canvas.put(bx, by, text, focused ? '1;30;46' : Styles.none);
      bx += text.length + 1;
    });
    const help = busy ?? 'Guests need no password; accounts keep trophies.';
    canvas.center(Math.max(y + 11, by + 2), help.length > boxWidth - 4 ? `${help.slice(0, boxWidth - 5)}…` : help, busy ? Styles.yellow : Styles.dim, x, boxWidth);
  },

  key(key, host) {
    const form = host.ui.login;
    if (isCtrl(key, 'g')) return guest(host);
    if (key.release) return;
    switch (key.name) {
      case 'tab':
      case 'down':
        form.focus = (form.focus + 1) % LOGIN_ITEMS;
        if (form.focus === LoginFocus.username) commitServer(host);
        return;
      case 'backtab':
      case 'up':
        form.focus = (form.focus + LOGIN_ITEMS - 1) % LOGIN_ITEMS;
        return;
      case 'left':
        if (form.focus > LoginFocus.password) form.focus = Math.max(LoginFocus.login, form.focus - 1);
        return;
      case 'right':
        if (form.focus >= LoginFocus.password) form.focus = Math.min(LOGIN_ITEMS - 1, form.focus + 1);
        return;
      case 'enter':
        return activate(host);
      default:
        break;
    }
    if (form.focus > LoginFocus.password) return;
    const field = FIELDS[form.focus];
    if (key.name === 'backspace') form[field] = form[field].slice(0, -1);
    else if ((key.name === 'char' || key.name === 'space') && !key.ctrl && !key.alt && key.ch) form[field] = (form[field] + key.ch).slice(0, 200);
  },

  hints: () => 'Tab/↑↓ move · Enter select · Ctrl+G guest · Ctrl+Q quit',
};
