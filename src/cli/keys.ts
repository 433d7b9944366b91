/**
 * Keyboard input of a terminal in raw mode, decoded into key events: plain
 * characters, control characters, the CSI / SS3 sequences of the arrows and
 * editing keys, and the kitty keyboard protocol (`CSI … u`, and event types
 * `:2` repeat / `:3` release when the terminal reports them).
 */

export type KeyName =
  | 'char' | 'space' | 'enter' | 'tab' | 'backtab' | 'backspace' | 'delete' | 'escape'
  | 'up' | 'down' | 'left' | 'right' | 'home' | 'end' | 'pageup' | 'pagedown' | 'unknown';

export interface Key {
  name: KeyName;
  /** The character of a `char` key (lower or upper case as typed). */
  ch?: string;
  ctrl?: boolean;
  alt?: boolean;
  /** A key released (kitty protocol only). */
  release?: boolean;
  /** An auto-repeat (kitty protocol only). */
  repeat?: boolean;
}

const CSI_LETTERS: Record<string, KeyName> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', Z: 'backtab' };
const TILDE_CODES: Record<string, KeyName> = { '1': 'home', '2': 'unknown', '3': 'delete', '4': 'end', '5': 'pageup', '6': 'pagedown', '7': 'home', '8': 'end' };

function fromCodepoint(code: number): Key {
  if (code === 13) return { name: 'enter' };
  if (code === 9) return { name: 'tab' };
  if (code === 27) return { name: 'escape' };
  if (code === 127 || code === 8) return { name: 'backspace' };
  if (code === 32) return { name: 'space', ch: ' ' };
  if (code >= 57344 && code <= 63743) return { name: 'unknown' }; // kitty's private-use function keys
  return { name: 'char', ch: String.fromCodePoint(code) };
}

/** Applies the `mods:event` parameter of a CSI sequence (kitty, xterm modifyOtherKeys). */
function withModifiers(key: Key, param: string | undefined): Key {
  if (!param) return key;
  const [modText, eventText] = param.split(':');
  const mods = Math.max(0, Number(modText || '1') - 1);
  const result: Key = { ...key };
  if (mods & 4) result.ctrl = true;
  if (mods & 2) result.alt = true;
  if (mods & 1 && result.name === 'char' && result.ch) result.ch = result.ch.toUpperCase();
  if (eventText === '2') result.repeat = true;
  if (eventText === '3') result.release = true;
  return result;
}

/** Decodes one chunk read from stdin (a lone ESC is the Escape key). */
export function parseKeys(data: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < data.length) {
    const c = data[i];
    if (c === '\x1b') {
      const next = data[i + 1];
      if (next === '[' || next === 'O') {
        // Parameters, then one final byte.
        let j = i + 2;
        while (j < data.length && /[0-9;:?<>=]/.test(data[j])) j += 1;
        if (j >= data.length) {
          keys.push({ name: 'escape' });
          i += 1;
          continue;
        }
        const params = data.slice(i + 2, j).split(';');
        const final = data[j];
        i = j + 1;
        if (final === 'u') {
          const code = Number((params[0] ?? '').split(':')[0]);
          keys.push(withModifiers(Number.isFinite(code) && code > 0 ? fromCodepoint(code) : { name: 'unknown' }, params[1]));
        } else if (final === '~') {
          keys.push(withModifiers({ name: TILDE_CODES[params[0] ?? ''] ?? 'unknown' }, params[1]));
        } else if (CSI_LETTERS[final]) {
          keys.push(withModifiers({ name: CSI_LETTERS[final] }, params[1]));
        } else {
          keys.push({ name: 'unknown' });
        }
        continue;
      }
      if (next === undefined || next === '\x1b') {
        keys.push({ name: 'escape' });
        i += 1;
        continue;
      }
      // ESC + key: Alt+key.
      const [inner] = parseKeys(next);
      keys.push({ ...(inner ?? { name: 'unknown' }), alt: true });
      i += 2;
      continue;
    }
    const code = c.codePointAt(0)!;
    const width = code > 0xffff ? 2 : 1;
    i += width;
    if (c === '\r' || c === '\n') keys.push({ name: 'enter' });
    else if (c === '\t') keys.push({ name: 'tab' });
    else if (code === 127 || code === 8) keys.push({ name: 'backspace' });
    else if (c === ' ') keys.push({ name: 'space', ch: ' ' });
    else if (code >= 1 && code <= 26) keys.push({ name: 'char', ch: String.fromCharCode(code + 96), ctrl: true });
    else if (code < 32) keys.push({ name: 'unknown' });
    else keys.push({ name: 'char', ch: String.fromCodePoint(code) });
  }
  return keys;
}

/** True for Ctrl+<letter>. */
export function isCtrl(key: Key, letter: string): boolean {
  return key.name === 'char' && key.ctrl === true && key.ch?.toLowerCase() === letter;
}

/** Up / W and Down / S as paddle directions, else null. */
export function paddleDirectionOf(key: Key): -1 | 1 | null {
  if (key.ctrl || key.alt) return null;
  if (key.name === 'up' || (key.name === 'char' && key.ch?.toLowerCase() === 'w')) return -1;
  if (key.name === 'down' || (key.name === 'char' && key.ch?.toLowerCase() === 's')) return 1;
  return null;
}
