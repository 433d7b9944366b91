import { useEffect, useState } from 'react';
import { api, errorText } from '../api/client';
import type { Picture } from '../api/types';
import { reloadMe } from '../session/session';
import { socialChanged } from '../social/socialEvents';
import { Modal } from '../ui/Modal';

/** A small padlock on a locked picture. */
function LockMark() {
  return (
    <span className="lock-mark" aria-hidden="true">
      <svg width="12" height="12" viewBox="0 0 24 24" focusable="false">
        <path d="M7 10V7a5 5 0 0 1 10 0v3" fill="none" stroke="currentColor" strokeWidth="2.6" strokeLinecap="round" />
        <rect x="4" y="10" width="16" height="12" rx="2.5" fill="currentColor" />
      </svg>
    </span>
  );
}

/** All pictures (64 px, 256 px on dense screens), locked ones greyed with a padlock and their unlock reason. */
export function PictureGallery({ onClose }: { onClose: () => void }) {
  const [pictures, setPictures] = useState<Picture[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    const result = await api<Picture[]>('GET', '/api/users/profile-pictures/');
    if (result.ok) setPictures(result.data);
    else setError('Unable to load the pictures.');
  };
  useEffect(() => {
    void load();
    return socialChanged.on('pictures', () => void load());
  }, []);
  const equip = async (picture: Picture) => {
    const result = await api('PUT', `/api/users/profile-picture/${picture.id}/`);
    if (!result.ok) return setError(errorText(result));
    await Promise.all([load(), reloadMe()]);
  };
  return (
    <Modal title="Profile pictures" onClose={onClose} className="wide">
      {error && <p className="field-error">{error}</p>}
      <ul className="gallery" aria-label="Profile pictures">
        {pictures?.map((picture) => {
          const label = picture.unlock ? picture.name : `${picture.name} (locked: ${picture.unlock_reason})`;
          return (
            <li key={picture.id}>
              <button
                type="button"
                className={`picture ${picture.is_equiped ? 'equipped' : ''} ${picture.unlock ? '' : 'locked'}`}
                title={`${picture.name} — ${picture.unlock_reason}`}
                aria-label={label}
                aria-pressed={picture.is_equiped}
                disabled={!picture.unlock}
                data-testid={`picture-${picture.id}`}
                onClick={() => !picture.is_equiped && void equip(picture)}
              >
                <span className="picture-frame">
                  <img src={picture.medium} srcSet={`${picture.url} 2x`} alt="" width={64} height={64} loading="lazy" />
                  {!picture.unlock && <LockMark />}
                </span>
                <span className="picture-name">{picture.name}</span>
                {!picture.unlock && <span className="picture-reason">{picture.unlock_reason}</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </Modal>
  );
}
