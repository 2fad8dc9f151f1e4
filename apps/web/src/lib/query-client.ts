import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './api-error.ts';

/** Client errors (4xx) do not get better by asking again; network failures and 5xx may. */
const shouldRetry = (failureCount: number, error: unknown): boolean => {
  if (failureCount >= 2) return false;
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  if (isApiError(error) && error.code === 'invalid_response') return false;
  return true;
};

export interface QueryClientOptions {
  /** Tests pass `false`, so a failing request fails at once. */
  retry?: boolean;
}

export const createQueryClient = ({ retry = true }: QueryClientOptions = {}): QueryClient =>
  new QueryClient({
    defaultOptions: {
      queries: {
        retry: retry ? shouldRetry : false,
        staleTime: 30_000,
        refetchOnWindowFocus: false,
      },
    },
  });
