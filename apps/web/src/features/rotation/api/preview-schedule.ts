import { SchedulePreview, type RotationSchedule, type RotationStrategy } from '@rotation-console/contracts';
import { keepPreviousData, queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';

/** The body of POST /api/v1/schedule-previews. */
export interface SchedulePreviewInput {
  schedule: RotationSchedule;
  duration?: string;
  strategy?: RotationStrategy;
  /** The secret: the API then checks the schedule against its team's limit too. */
  secretId?: string;
}

/** Validates a schedule as AWS does and lists its next five windows; changes nothing, so it is read as a query. */
export const fetchSchedulePreview = (input: SchedulePreviewInput, signal?: AbortSignal): Promise<SchedulePreview> =>
  apiPost('/api/v1/schedule-previews', input, SchedulePreview, { signal });

/** `null` while the form holds something the client already knows is wrong: nothing is asked. */
export const schedulePreviewQueryOptions = (input: SchedulePreviewInput | null) =>
  queryOptions({
    queryKey: ['schedule-previews', { input }] as const,
    queryFn: input ? ({ signal }) => fetchSchedulePreview(input, signal) : skipToken,
  });

export const useSchedulePreview = (input: SchedulePreviewInput | null) =>
  useQuery({
    ...schedulePreviewQueryOptions(input),
    // While the operator types, the last answer stays on screen until the next one arrives.
    placeholderData: keepPreviousData,
  });
