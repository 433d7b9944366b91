import { Modal } from '../ui/Modal';

/** The privacy policy dialog. */
export function PrivacyPolicy({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Privacy policy" onClose={onClose} className="wide">
      <div className="prose">
        <p><strong>Effective date: 31/01/2025.</strong></p>
        <p>
          This site does not collect identifying personal data: no name, no e-mail address and no browsing data are stored about you.
          Your IP address is never stored whole: our server logs keep only its network part (the first three numbers of an IPv4
          address, the first 48 bits of an IPv6 address). To slow down abuse (too many connections, failed logins, guessed codes),
          your address is held in memory while you are connected and for at most 15 minutes after; only a one-way fingerprint of
          the address you logged in from is kept for 30 days, so that you are not slowed down at home when someone else guesses
          your password.
        </p>
        <p>
          We store your private chat messages in order to deliver them, and your game results and statistics to show your
          performance and unlock profile pictures. Chat messages may be reviewed to prevent abuse.
        </p>
        <p>Your data is kept until you delete your profile. Nothing is sold or shared with third parties.</p>
        <p>
          A token stored in your browser identifies your session; it is required for the site to work. You can see and change your
          data from your profile, download it, and delete all of it by deleting your profile.
        </p>
        <p>This policy may change; the effective date above will then be updated.</p>
        <p>
          Contact: Pong Platform, 1 rue du Ping, 75000 Paris, France — <a href="mailto:privacy@pong.example">privacy@pong.example</a>.
        </p>
      </div>
    </Modal>
  );
}
