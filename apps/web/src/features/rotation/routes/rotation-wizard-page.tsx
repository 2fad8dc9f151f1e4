import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useParams } from 'react-router';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';

/** `/secrets/:secretId/rotation`: placeholder until the rotation wizard issue replaces it. */
export function RotationWizardPage() {
  const { secretId = '' } = useParams();
  return (
    <SpaceBetween size="l">
      <Breadcrumbs
        items={[
          { text: 'Secrets', href: '/secrets' },
          { text: secretId, href: `/secrets/${encodeURIComponent(secretId)}` },
          { text: 'Edit rotation', href: '#' },
        ]}
      />
      <Container header={<Header variant="h2">Rotation wizard</Header>}>
        <Box variant="p">The rotation wizard arrives with the wizard issue.</Box>
      </Container>
    </SpaceBetween>
  );
}
