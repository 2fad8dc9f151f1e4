import Alert from '@cloudscape-design/components/alert';
import Link from '@cloudscape-design/components/link';
import { useFollow } from '../lib/navigation.ts';
import { SECRETS_PATH } from '../lib/paths.ts';

export function NotFoundPage() {
  const follow = useFollow();
  return (
    <Alert type="error" header="Page not found">
      This page does not exist.{' '}
      <Link href={SECRETS_PATH} onFollow={follow}>
        Go to Secrets
      </Link>
    </Alert>
  );
}
