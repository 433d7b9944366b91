import { Styles } from '../canvas.js';
import type { Picture } from '../../client/types.js';
import { drawField, drawList, editText, fit, isBack, letter, listStep, SELECTED, type ListLine } from './kit.js';
import type { Area, ScreenModule } from './types.js';

/**
 * The account (menu: a): a guest registers here — the same account, its
 * name (or another), trophies and history kept (`PUT /api/auth/register/guest/`)
 * — and everybody chooses the profile picture from the list: the unlocked
 * ones can be used (Enter), the locked ones say how to unlock them.
 */

/** Focus of the guest's form: username, password, the button, then the pictures. */
export const AccountFocus = { username: 0, password: 1, register: 2, pictures: 3 } as const;

/** One picture's row: `✔ Register  in use`, `  Champion  locked — win 10 ranked games`. */
export function pictureLine(picture: Picture, width: number): string {
  const mark = picture.is_equiped ? '✔' : picture.unlock ? ' ' : '×';
  const state = picture.is_equiped ? 'in use' : picture.unlock ? 'unlocked — Enter: use it' : `locked — ${picture.unlock_reason}`;
  return fit(`${mark} ${picture.name.padEnd(18)} ${state}`, width);
}

export const accountScreen: ScreenModule = {
  render(canvas, host, area: Area) {
    const social = host.controller.social;
    const user = host.controller.state.user;
    if (!user) return;
    const width = Math.min(area.width - 4, 100);
    const x = Math.max(1, Math.floor((area.width - width) / 2));
    let y = area.top;
    canvas.put(x, y, fit(`Account — ${user.username} #${user.id}${user.is_guest ? ' · guest' : ' · registered'} · picture: ${user.profile_picture?.name ?? '—'}`, width), Styles.bold);
    y += 1;
    const form = social.state.upgrade;
    if (user.is_guest) {
      canvas.put(x, y, fit('Register this guest: it keeps its history; friends, chat and ranked open.', width), Styles.dim);
      drawField(canvas, x + 2, y + 1, Math.min(width - 2, 50), 'Username:', form.username, form.focus === AccountFocus.username);
      drawField(canvas, x + 2, y + 2, Math.min(width - 2, 50), 'Password:', form.password, form.focus === AccountFocus.password, true);
      canvas.put(x + 2, y + 3, '[ Register ]', form.focus === AccountFocus.register ? SELECTED : Styles.none);
      if (social.state.busy) canvas.put(x + 16, y + 3, fit(social.state.busy, width - 16), Styles.yellow);
      y += 5;
    } else {
      y += 1;
    }
    const pictures = social.state.pictures;
    const focused = !user.is_guest || form.focus === AccountFocus.pictures;
    const unlocked = pictures?.filter((p) => p.unlock).length ?? 0;
    canvas.put(x, y, fit(`Profile picture${pictures ? ` — ${unlocked} of ${pictures.length} unlocked` : ''}${focused ? '' : ' (Tab to choose)'}`, width), Styles.bold);
    y += 1;
    if (!pictures) {
      canvas.put(x, y, 'Loading the pictures…', Styles.yellow);
      return;
    }
    const lines: ListLine[] = pictures.map((picture, index) => ({
      text: pictureLine(picture, width - 2),
      style: picture.is_equiped ? Styles.green : picture.unlock ? Styles.none : Styles.dim,
      index,
    }));
    drawList(canvas, x, y, width, area.top + area.height - y, lines, focused ? social.state.selected.pictures : null);
  },

  key(key, host) {
    if (key.release) return;
    const social = host.controller.social;
    const user = host.controller.state.user;
    if (!user) return;
    const form = social.state.upgrade;
    const onForm = user.is_guest && form.focus < AccountFocus.pictures;
    if (key.name === 'escape' || (!onForm && (letter(key) === 'q' || key.name === 'backspace'))) return social.back();
    if (user.is_guest && (key.name === 'tab' || key.name === 'backtab')) {
      social.setUpgrade({ focus: (form.focus + (key.name === 'tab' ? 1 : 3)) % 4 });
      return;
    }
    if (onForm) {
      if (key.name === 'down') return social.setUpgrade({ focus: form.focus + 1 });
      if (key.name === 'up') return social.setUpgrade({ focus: Math.max(0, form.focus - 1) });
      if (key.name === 'enter') {
        if (form.focus === AccountFocus.username) return social.setUpgrade({ focus: AccountFocus.password });
        return void social.registerGuest();
      }
      if (form.focus === AccountFocus.username || form.focus === AccountFocus.password) {
        const field = form.focus === AccountFocus.username ? 'username' : 'password';
        const next = editText(form[field], key, field === 'username' ? 30 : 50);
        if (next !== null) social.setUpgrade({ [field]: next });
      }
      return;
    }
    if (user.is_guest && key.name === 'up' && social.state.selected.pictures === 0) return social.setUpgrade({ focus: AccountFocus.register });
    const step = listStep(key);
    if (step !== null) return social.movePictures(step);
    if (key.name === 'enter') void social.equipSelected();
  },

  hints(host) {
    const user = host.controller.state.user;
    const form = host.controller.social.state.upgrade;
    if (user?.is_guest && form.focus < AccountFocus.pictures) return 'Tab/↑↓ move · Enter register · Esc back';
    return user?.is_guest ? '↑↓ select · Enter use the picture · Tab form · Esc back' : '↑↓ select · Enter use the picture · Esc back';
  },
};
