import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useCallback } from 'react';
import { useCalendar } from '../api/get-calendar.ts';
import { CalendarDays } from '../components/calendar-days.tsx';
import { FreshnessLine } from '../../../components/freshness-line.tsx';
import { CALENDAR_DAYS, useCalendarView } from '../hooks/use-calendar-view.ts';
import { useDebouncedText } from '../../../lib/use-debounced-text.ts';
import { formatCount } from '../utils/format.ts';
import { QueryErrorAlert } from '../../../components/query-state.tsx';
import { TargetFilters } from '../../../components/target-filters.tsx';
import { isFleet, targetAccountIds, targetRegions } from '../../../lib/targets.ts';
import { useKnownTargets } from '../../../lib/use-known-targets.ts';

const dayOptions = CALENDAR_DAYS.map((days) => ({ value: String(days), label: `Next ${days} days` }));

/** `/calendar`: the next rotation windows across the fleet, day by day, for one team or all. */
export function CalendarPage() {
  const { view, update } = useCalendarView();
  const query = useCalendar({ days: view.days, team: view.team, account: view.account, region: view.region });
  const commitTeam = useCallback((team: string) => update({ team }), [update]);
  const [teamText, setTeamText] = useDebouncedText(view.team, commitTeam);
  const calendar = query.data;
  const targets = useKnownTargets(calendar?.freshness.targets);

  return (
    <SpaceBetween size="l">
      <Header variant="h1" description={<FreshnessLine freshness={calendar?.freshness} />}>
        Calendar
      </Header>
      <SpaceBetween direction="horizontal" size="xs">
        <Input
          inlineLabelText="Team"
          placeholder="Any team"
          type="search"
          value={teamText}
          clearAriaLabel="Clear team filter"
          onChange={({ detail }) => setTeamText(detail.value)}
        />
        <Select
          inlineLabelText="Show"
          options={dayOptions}
          selectedOption={dayOptions.find((option) => option.value === String(view.days)) ?? null}
          onChange={({ detail }) => update({ days: Number(detail.selectedOption.value) })}
        />
        {isFleet(targets) && targets && (
          <TargetFilters
            accounts={targetAccountIds(targets)}
            regions={targetRegions(targets)}
            targets={targets}
            filter={{ ...(view.account ? { account: view.account } : {}), ...(view.region ? { region: view.region } : {}) }}
            onChange={update}
          />
        )}
      </SpaceBetween>
      {query.isPending && (
        <Box padding={{ vertical: 'l' }}>
          <StatusIndicator type="loading">Loading the calendar</StatusIndicator>
        </Box>
      )}
      {query.isError && <QueryErrorAlert query={query} header="Failed to load the calendar" />}
      {calendar && (
        <SpaceBetween size="m">
          <Box variant="p" color="text-body-secondary">
            {formatCount(calendar.windows.length)} rotation windows{view.team ? ` for team ${view.team}` : ''} in the next {view.days} days (times in UTC).
          </Box>
          {calendar.truncated && (
            <Alert type="info" header="Not every window is shown">
              More windows fall in this range than one answer holds. Choose fewer days or a team.
            </Alert>
          )}
          {calendar.windows.length === 0 ? (
            <Box textAlign="center" color="inherit" padding={{ vertical: 'l' }}>
              <b>No rotation windows</b>
              <Box variant="p" color="inherit">
                {view.team ? `No secret of team ${view.team} is due to rotate in this range.` : 'No secret is due to rotate in this range.'}
              </Box>
            </Box>
          ) : (
            <CalendarDays windows={calendar.windows} />
          )}
        </SpaceBetween>
      )}
    </SpaceBetween>
  );
}
