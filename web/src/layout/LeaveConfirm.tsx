import { confirmLeave, leaveGuardMessage, pendingLeave } from '../lib/router';
import { useStore } from '../lib/store';
import { Modal } from '../ui/Modal';

/** Leaving a running game asks first. */
export function LeaveConfirm() {
  const target = useStore(pendingLeave);
  if (target === null) return null;
  const cancel = () => pendingLeave.set(null);
  return (
    <Modal title="Leave the game?" onClose={cancel}>
      <p>{leaveGuardMessage() ?? 'Leaving abandons the current game.'}</p>
      <div className="row end">
        <button type="button" onClick={cancel}>Cancel</button>
        <button
          type="button"
          className="danger"
          onClick={() => confirmLeave(target)}
        >
          Leave
        </button>
      </div>
    </Modal>
  );
}
