import type { StatusCounts } from '@rotation-console/contracts';
import { SECRET_STATUSES, secretStatusLabels } from '@rotation-console/contracts/values';
import { formatCount } from '../utils/format.ts';

/** The chart's height; the placeholder shown while its chunk loads is as tall, so nothing moves. */
export const STATUS_CHART_HEIGHT = 340;

/** The numbers the status chart shows, in words: its text equivalent for screen readers. */
export const statusChartDescription = (counts: StatusCounts, total: number): string =>
  `${formatCount(total)} secrets: ${SECRET_STATUSES.map((status) => `${secretStatusLabels[status]} ${formatCount(counts[status])}`).join(', ')}.`;
