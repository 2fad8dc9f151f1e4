import { Workflow, type WorkflowStatus } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** How often an unfinished workflow is asked for again. */
export const WORKFLOW_POLL_MS = 1000;

const UNFINISHED: readonly WorkflowStatus[] = ['pending', 'running'];

export const isWorkflowRunning = (status: WorkflowStatus | undefined): boolean => status !== undefined && UNFINISHED.includes(status);

/** A workflow, every step and the first rotation's outcome. */
export const fetchWorkflow = (workflowId: string, signal?: AbortSignal): Promise<Workflow> =>
  apiGet(`/api/v1/workflows/${encodeURIComponent(workflowId)}`, Workflow, { signal });

export const workflowQueryOptions = (workflowId: string) =>
  queryOptions({
    queryKey: ['workflows', 'detail', workflowId] as const,
    queryFn: ({ signal }) => fetchWorkflow(workflowId, signal),
    staleTime: 0,
    // Poll while it runs; stop once it has finished (or when the last poll failed: Retry asks again).
    refetchInterval: (query) => (query.state.status === 'success' && isWorkflowRunning(query.state.data?.status) ? WORKFLOW_POLL_MS : false),
  });

export const useWorkflow = (workflowId: string) => useQuery(workflowQueryOptions(workflowId));
