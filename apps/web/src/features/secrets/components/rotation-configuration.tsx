import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs, { type KeyValuePairsProps } from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { SecretDetail } from '@rotation-console/contracts';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';
import { describeSchedule, describeWindow, lambdaFunctionName } from '../utils/rotation-schedule.ts';
import { StatusBadge } from '../../../components/status-badge.tsx';

/** The "Rotation configuration" container: the status with its reasons, then the rotation settings. */
export function RotationConfiguration({ secret }: { secret: SecretDetail }) {
  const { rotation } = secret;
  const window = describeWindow(rotation.rules?.duration ?? null);

  const items: KeyValuePairsProps.Item[] = [
    { label: 'Rotation status', value: rotation.enabled ? 'Enabled' : 'Disabled' },
    { label: 'Rotation schedule', value: describeSchedule(rotation.rules) },
    ...(window ? [{ label: 'Window duration', value: window }] : []),
    {
      label: 'Lambda rotation function',
      value: rotation.lambdaArn ? <span title={rotation.lambdaArn}>{lambdaFunctionName(rotation.lambdaArn)}</span> : EMPTY_VALUE,
    },
    { label: 'Last rotated date', value: formatDateTime(rotation.lastRotatedDate) },
    { label: 'Next rotation date', value: formatDateTime(rotation.nextRotationDate) },
  ];

  return (
    <Container header={<Header variant="h2">Rotation configuration</Header>}>
      <SpaceBetween size="l">
        <section aria-label="Rotation health">
          <SpaceBetween size="xs">
            <StatusBadge status={secret.status} owningService={secret.owningService} failedStep={secret.failedStep} />
            {secret.statusReasons.length > 0 && (
              <Box color="text-body-secondary">
                <ul aria-label="Status reasons" style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
                  {secret.statusReasons.map((reason, index) => (
                    <li key={index}>{reason}</li>
                  ))}
                </ul>
              </Box>
            )}
          </SpaceBetween>
        </section>
        <KeyValuePairs columns={3} items={items} />
      </SpaceBetween>
    </Container>
  );
}
