import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { Calendar } from '@rotation-console/contracts';
import { useFollow } from '../../../lib/navigation.ts';
import { formatWindowHours } from '../../../lib/format-date.ts';
import { secretPath } from '../../../lib/paths.ts';
import { formatDayHeading, groupByDay } from '../utils/group-by-day.ts';

type CalendarEntry = Calendar['windows'][number];

function WindowItem({ entry }: { entry: CalendarEntry }) {
  const follow = useFollow();
  return (
    <li style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap', padding: '4px 0' }}>
      <span style={{ minWidth: '13ch', fontVariantNumeric: 'tabular-nums' }}>{formatWindowHours(entry)}</span>
      <Link href={secretPath(entry)} onFollow={follow}>
        {entry.name}
      </Link>
      <Box color="text-body-secondary" variant="span">
        {entry.team ? `Team ${entry.team}` : 'No team'}
      </Box>
    </li>
  );
}

/** The rotation windows grouped by the UTC day they open on; each day a heading and a list. */
export function CalendarDays({ windows }: { windows: readonly CalendarEntry[] }) {
  const days = groupByDay(windows);
  return (
    <SpaceBetween size="m">
      {days.map(({ day, items }) => {
        const heading = formatDayHeading(day);
        return (
          <Container
            key={day}
            header={
              <Header variant="h2" counter={`(${items.length})`}>
                {heading}
              </Header>
            }
          >
            <ul aria-label={`Rotation windows on ${heading}`} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {items.map((entry, index) => (
                <WindowItem key={`${entry.arn}|${entry.start}|${index}`} entry={entry} />
              ))}
            </ul>
          </Container>
        );
      })}
    </SpaceBetween>
  );
}
