import Alert from '@cloudscape-design/components/alert';
import Link from '@cloudscape-design/components/link';
import { useFollow } from '../lib/navigation.ts';

export function NotFoundPage() {
  const follow = useFollow();
  return (
    <Alert type="error" header="Page not found">
      This page does not exist.{' '}
      <Link href="/secrets" onFollow={follow}>
        Go to Secrets
      </Link>
    </Alert>
  );
}
