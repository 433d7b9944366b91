import { useEffect, useId, useRef, type ReactNode } from 'react';

/** A modal dialog (native `<dialog>`: focus trap, Escape); a click on the backdrop closes it. */
export function Modal({ title, onClose, children, className = '' }: { title: string; onClose?: () => void; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal ${className}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose?.();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose?.();
      }}
    >
      <div className="modal-head">
        <h2 id={titleId}>{title}</h2>
        {onClose && (
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        )}
      </div>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}
