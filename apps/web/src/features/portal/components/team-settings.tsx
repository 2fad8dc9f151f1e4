import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import type { PortalTeam } from '@rotation-console/contracts';
import { defaultsInWords } from '../../../lib/team-defaults.ts';

/** What "Enable rotation" fills in for this team, and the limit the API holds its schedules to. */
export function TeamSettings({ team }: { team: PortalTeam }) {
  const max = team.limits.maxIntervalDays;
  const limit = { label: 'Longest interval allowed', value: max !== undefined ? `${max} day${max === 1 ? '' : 's'} between rotations` : 'No limit' };
  const items = team.configured ? [...defaultsInWords(team.defaults), limit] : [limit];
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={
            team.configured
              ? 'From the teams configuration: what Enable rotation fills in, and the limit every schedule of the team is held to.'
              : `The teams configuration does not name ${team.team}: the wizard starts from its own defaults.`
          }
        >
          Team defaults
        </Header>
      }
    >
      <KeyValuePairs columns={Math.min(items.length, 3) as 1 | 2 | 3} items={items} />
    </Container>
  );
}
