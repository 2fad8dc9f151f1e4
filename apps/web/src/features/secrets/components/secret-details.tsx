import Container from '@cloudscape-design/components/container';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import type { SecretDetail } from '@rotation-console/contracts';
import { owningServiceName } from '@rotation-console/contracts/values';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';
import { UserText } from '../../../components/user-text.tsx';

/** The "Secret details" container: what the secret is and who owns it. */
export function SecretDetails({ secret }: { secret: SecretDetail }) {
  return (
    <Container header={<Header variant="h2">Secret details</Header>}>
      <KeyValuePairs
        columns={2}
        items={[
          { label: 'Secret name', value: secret.name },
          {
            label: 'Secret ARN',
            value: (
              <CopyToClipboard
                variant="inline"
                textToCopy={secret.arn}
                copyButtonAriaLabel="Copy secret ARN"
                copySuccessText="Secret ARN copied"
                copyErrorText="Secret ARN failed to copy"
              />
            ),
          },
          { label: 'Secret description', value: secret.description ? <UserText text={secret.description} /> : EMPTY_VALUE },
          { label: 'Owning service', value: secret.owningService ? owningServiceName(secret.owningService) : EMPTY_VALUE },
          { label: 'Team', value: secret.team ?? EMPTY_VALUE },
          { label: 'Created on', value: formatDateTime(secret.createdDate) },
          { label: 'Last changed date', value: formatDateTime(secret.lastChangedDate) },
        ]}
      />
    </Container>
  );
}
