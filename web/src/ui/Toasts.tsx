import { useStore } from '../lib/store';
import { closeToast, pinToast, toasts, type Toast } from './toasts';

function ToastCard({ toast }: { toast: Toast }) {
  return (
    <div className="toast" role="alert" data-testid="toast" onClick={() => pinToast(toast.id)}>
      {toast.icon && <img className="toast-icon" src={toast.icon} alt="" width={40} height={40} />}
      <div className="toast-main">
        <button
          type="button"
          className="toast-body"
          onClick={() => {
            if (!toast.onOpen) return;
            toast.onOpen();
            closeToast(toast.id);
          }}
        >
          <strong>{toast.title}</strong>
          <span>{toast.message}</span>
        </button>
        {toast.actions.length > 0 && (
          <div className="toast-actions">
            {toast.actions.map((action) => (
              <button
                key={action.label}
                type="button"
                className={`small ${action.icon ?? ''}`}
                aria-label={action.label}
                onClick={async (event) => {
                  event.stopPropagation();
                  closeToast(toast.id);
                  await action.run();
                }}
              >
                {action.icon === 'accept' ? '✓ ' : action.icon === 'decline' ? '✕ ' : ''}
                {action.label}
              </button>
            ))}
          </div>
        )}
      </div>
      <button type="button" className="icon-button" aria-label="Close notification" onClick={() => closeToast(toast.id)}>
        ×
      </button>
    </div>
  );
}

export function ToastArea() {
  const { visible } = useStore(toasts);
  return (
    <div className="toasts" aria-live="polite">
      {visible.map((toast) => (
        <ToastCard key={toast.id} toast={toast} />
      ))}
    </div>
  );
}
