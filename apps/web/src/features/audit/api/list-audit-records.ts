import { AuditPage } from '@rotation-console/contracts';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** The audit log's filters, as the API takes them (and as the page keeps them in its URL). */
export const AUDIT_FILTERS = ['actor', 'action', 'subject', 'outcome', 'from', 'to'] as const;
export type AuditFilter = (typeof AUDIT_FILTERS)[number];
export type AuditFilters = Partial<Record<AuditFilter, string>>;

/** GET /api/v1/audit: one page of records matching the filters, newest first; `cursor` asks for older ones. */
export const fetchAuditRecords = (filters: AuditFilters, cursor: string | undefined, signal?: AbortSignal): Promise<AuditPage> =>
  apiGet('/api/v1/audit', AuditPage, { query: { ...filters, cursor, limit: 50 }, signal });

export const auditRecordsQueryOptions = (filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: ['audit', filters] as const,
    queryFn: ({ pageParam, signal }) => fetchAuditRecords(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useAuditRecords = (filters: AuditFilters) => useInfiniteQuery(auditRecordsQueryOptions(filters));
