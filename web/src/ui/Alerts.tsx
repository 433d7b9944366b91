import { useStore } from '../lib/store';
import { alerts, dismissAlert } from './alerts';

export function AlertBanner() {
  const list = useStore(alerts);
  if (!list.length) return null;
  return (
    <div className="alerts" role="status" aria-live="polite">
      {list.map((alert) => (
        <div key={alert.id} className={`alert alert-${alert.kind}`}>
          <span>{alert.text}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissAlert(alert.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
