import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { DASHBOARD_PATH } from '../lib/paths.ts';
import { signInUrl } from '../lib/session.ts';

/**
 * `/signed-out`: where "Sign out" lands. Outside the console's chrome, which would ask the API who
 * is signed in and be sent to sign in again at once.
 */
export function SignedOutPage() {
  return (
    <Box padding="xxl">
      <Container header={<Header variant="h1">You are signed out</Header>}>
        <SpaceBetween size="m">
          <span>Your Rotation Console session has ended. Close the browser to end your session at the identity provider too.</span>
          <Button variant="primary" href={signInUrl(DASHBOARD_PATH)}>
            Sign in again
          </Button>
        </SpaceBetween>
      </Container>
    </Box>
  );
}
