import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { isNotVisible } from '../lib/api-error.ts';
import { useFollow } from '../lib/navigation.ts';

interface NotFoundProps {
  header: string;
  /** What was asked for, shown in bold. */
  subject: ReactNode;
  /** "No secret named X exists ..." wording around the subject. */
  what: string;
  backHref: string;
  backText: string;
}

/** The console's "not found" alert, with a link back to a list. */
export function NotFoundAlert({ header, subject, what, backHref, backText }: NotFoundProps) {
  const follow = useFollow();
  return (
    <Alert type="error" header={header}>
      <SpaceBetween size="xs">
        <span>
          No {what} <strong>{subject}</strong> exists in this account and Region, or you are not allowed to see it.
        </span>
        <Link href={backHref} onFollow={follow}>
          {backText}
        </Link>
      </SpaceBetween>
    </Alert>
  );
}

/** A failed query's Retry button: fetches again, and spins while it does. */
export function RetryButton({ query }: { query: UseQueryResult<unknown, Error> }) {
  return (
    <Button onClick={() => void query.refetch()} loading={query.isFetching}>
      Retry
    </Button>
  );
}

/** A failed query as the AWS console shows it: the error's message under a header, with Retry. */
export function QueryErrorAlert({ query, header }: { query: UseQueryResult<unknown, Error>; header: string }) {
  return (
    <Alert type="error" header={header} action={<RetryButton query={query} />}>
      {query.error?.message}
    </Alert>
  );
}

interface QueryStateProps<T> {
  query: UseQueryResult<T, Error>;
  /** Shown above every state (breadcrumbs). */
  top?: ReactNode;
  loadingText: string;
  errorHeader: string;
  /** Shown instead of the error alert on a 404, or a 403 (not allowed to see it). */
  notFound?: ReactNode;
  children: (data: T) => ReactNode;
}

/**
 * A page's loading, not-found and error states as the AWS console shows them (the error with a
 * Retry button); the page itself once the data is there.
 */
export function QueryState<T>({ query, top, loadingText, errorHeader, notFound, children }: QueryStateProps<T>) {
  if (query.isPending) {
    return (
      <SpaceBetween size="m">
        {top}
        <Box padding={{ vertical: 'l' }}>
          <StatusIndicator type="loading">{loadingText}</StatusIndicator>
        </Box>
      </SpaceBetween>
    );
  }
  if (query.isError && query.data === undefined) {
    return (
      <SpaceBetween size="m">
        {top}
        {notFound && isNotVisible(query.error) ? notFound : <QueryErrorAlert query={query} header={errorHeader} />}
      </SpaceBetween>
    );
  }
  return <>{children(query.data as T)}</>;
}
