import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import type { DashboardSummary } from '@rotation-console/contracts';
import { SECRET_STATUSES, secretStatusLabels } from '@rotation-console/contracts/values';
import { useFollow } from '../../../lib/navigation.ts';
import { DASHBOARD_PATH } from '../../../lib/paths.ts';
import { formatCount, formatPercent } from '../utils/format.ts';
import { figureGrid, leftFigure, rightFigure } from './section-grid.ts';

interface FigureProps {
  label: string;
  value: string;
  href?: string;
}

function Figure({ label, value, href }: FigureProps) {
  const follow = useFollow();
  return (
    <>
      <Box variant="awsui-key-label">{label}</Box>
      {href ? (
        <Link variant="awsui-value-large" href={href} onFollow={follow} ariaLabel={`${label}: ${value}`}>
          {value}
        </Link>
      ) : (
        <Box variant="awsui-value-large">{value}</Box>
      )}
    </>
  );
}

/**
 * The fleet at a glance, in numbers: how many secrets, how many in each rotation status (each a link
 * to the list filtered by it) and the share with rotation on; two columns, filled row by row.
 */
export function StatusCounts({ summary }: { summary: DashboardSummary }) {
  const figures: FigureProps[] = [
    { label: 'Secrets', value: formatCount(summary.total) },
    { label: 'Rotation coverage', value: formatPercent(summary.coveragePercent) },
    ...SECRET_STATUSES.map((status) => ({
      label: secretStatusLabels[status],
      value: formatCount(summary.byStatus[status]),
      href: `${DASHBOARD_PATH}?status=${status}`,
    })),
  ];
  return (
    <Container header={<Header variant="h2">Rotation status</Header>}>
      <div style={figureGrid}>
        {figures.map((figure, index) => (
          <div key={figure.label} style={index % 2 === 0 ? leftFigure : rightFigure}>
            <Figure {...figure} />
          </div>
        ))}
      </div>
    </Container>
  );
}
