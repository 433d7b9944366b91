import { Link } from '../lib/router';

/** The page for an unknown path. */
export function NotFoundPage() {
  return (
    <section className="page center">
      <h1 className="huge">404</h1>
      <p>This page does not exist.</p>
      <Link href="/" className="button primary">Back home</Link>
    </section>
  );
}
