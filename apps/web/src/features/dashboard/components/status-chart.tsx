import PieChart, { type PieChartProps } from '@cloudscape-design/components/pie-chart';
import type { SecretStatus, StatusCounts } from '@rotation-console/contracts';
import { SECRET_STATUSES, secretStatusLabels } from '@rotation-console/contracts/values';
import { formatCount } from '../utils/format.ts';
import { statusChartDescription } from './status-chart-text.ts';

interface Segment extends PieChartProps.Datum {
  status: SecretStatus;
}

const colors: Record<SecretStatus, string> = {
  healthy: '#037f0c',
  unknown: '#8456ce',
  overdue: '#8d6605',
  pending_or_failed: '#d91515',
  not_enabled: '#656871',
  managed: '#0972d3',
};

/**
 * Secrets by rotation status as a donut (its own chunk, loaded after the page's first paint; the
 * same numbers are on the page as text).
 */
export default function StatusChart({ counts, total }: { counts: StatusCounts; total: number }) {
  const data: Segment[] = SECRET_STATUSES.filter((status) => counts[status] > 0).map((status) => ({
    status,
    title: secretStatusLabels[status],
    value: counts[status],
    color: colors[status],
  }));
  return (
    <PieChart<Segment>
      data={data}
      variant="donut"
      size="medium"
      hideFilter
      // No labels beside the segments: the legend names them and the figures beside the chart count
      // them. Placing labels measures each one in the page, the chart's heaviest work on first paint.
      hideTitles
      hideDescriptions
      innerMetricValue={formatCount(total)}
      innerMetricDescription="secrets"
      ariaLabel="Secrets by rotation status"
      ariaDescription={statusChartDescription(counts, total)}
      detailPopoverContent={(datum, sum) => [
        { key: 'Secrets', value: formatCount(datum.value) },
        { key: 'Share', value: `${sum > 0 ? Math.round((datum.value / sum) * 100) : 0}%` },
      ]}
      segmentDescription={(datum) => formatCount(datum.value)}
      i18nStrings={{
        detailsValue: 'Secrets',
        detailsPercentage: 'Share',
        filterLabel: 'Filter displayed data',
        filterPlaceholder: 'Filter data',
        filterSelectedAriaLabel: 'selected',
        detailPopoverDismissAriaLabel: 'Dismiss',
        legendAriaLabel: 'Legend',
        chartAriaRoleDescription: 'pie chart',
        segmentAriaRoleDescription: 'segment',
      }}
      empty={<span>No secrets</span>}
      fitHeight
    />
  );
}
