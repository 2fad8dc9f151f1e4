import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { RotationStrategy } from '@rotation-console/contracts';
import type { ReactNode } from 'react';
import { LambdaFunctionSelect } from '../../../components/lambda-function-select.tsx';
import { useLambdaFunctions } from '../../../lib/api/lambda-functions.ts';
import {
  FUNCTION_NAME_HINT,
  functionNameOf,
  needsMasterSecret,
  type CredentialsChoice,
  type FunctionProblems,
  type FunctionState,
} from '../utils/wizard-state.ts';
import { MasterSecretField } from './master-secret-field.tsx';

const CREDENTIALS: { value: CredentialsChoice; label: string; description: string }[] = [
  {
    value: 'this-secret',
    label: 'Use this secret',
    description:
      'Choose this option if the credentials in this secret have permission in the database to change the password. Secrets Manager creates a Lambda function that rotates the secret with a single user and changes the password with each rotation. This is the lower availability option: sign-in failures can occur for a moment (a second or less) between removing the old password and storing the new one, so clients should back off and retry with jitter.',
  },
  {
    value: 'master-secret',
    label: 'Use a secret that I have previously stored in AWS Secrets Manager',
    description:
      "Choose this option if the credentials in this secret don't have permission to update, or if you require high availability. Choose a separate master secret whose credentials can update this secret's credentials. Secrets Manager creates a Lambda function that alternates between two users: it clones the original user's permissions, and the old version keeps working until clients switch to the new one.",
  },
];

const STRATEGIES: { value: RotationStrategy; label: string; description: string }[] = [
  {
    value: 'single-user',
    label: 'Single-user rotation',
    description:
      'A rotation function for a secret that stores credentials for a user with permissions to change their password. Secrets Manager creates this type of function when you choose the option Use this secret.',
  },
  {
    value: 'alternating-users',
    label: 'Multi-user rotation',
    description:
      "A rotation function for a secret that stores credentials for a user that can't change their password. The function requires a separate master secret that stores credentials for a user with permission to change the credentials for this secret user. Secrets Manager creates this type of function when you choose the option Use a secret that I have previously stored in AWS Secrets Manager.",
  },
];

export interface FunctionStepProps {
  secretId: string;
  state: FunctionState;
  defaultName: string;
  onChange: (patch: Partial<FunctionState>) => void;
  problems: FunctionProblems;
  showErrors: boolean;
  /** The "Network" section. */
  network: ReactNode;
}

/** Step 2, "Rotation function": create one or use an existing one, the credentials it uses, and its network. */
export function FunctionStep({ secretId, state, defaultName, onChange, problems, showErrors, network }: FunctionStepProps) {
  const functions = useLambdaFunctions(secretId, { enabled: state.mode === 'existing' });
  const name = functionNameOf(state, defaultName);

  const master = needsMasterSecret(state) ? (
    <MasterSecretField
      secretId={secretId}
      value={state.masterSecretId}
      onChange={(masterSecretId) => onChange({ masterSecretId })}
      errorText={showErrors ? problems.masterSecretId : undefined}
    />
  ) : null;

  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Rotation function</Header>}>
        <SpaceBetween size="l">
          <RadioGroup
            ariaLabel="Rotation function"
            value={state.mode}
            onChange={({ detail }) => onChange({ mode: detail.value as FunctionState['mode'] })}
            items={[
              { value: 'create', label: 'Create a new Lambda function to perform rotation' },
              { value: 'existing', label: 'Use an existing Lambda function to perform rotation' },
            ]}
          />
          {state.mode === 'create' ? (
            <SpaceBetween size="l">
              <FormField
                label="Lambda function name"
                description="The name of the Lambda function Secrets Manager creates for you."
                constraintText={FUNCTION_NAME_HINT}
                errorText={showErrors || state.functionName !== null ? problems.functionName : undefined}
              >
                <Input value={name} onChange={({ detail }) => onChange({ functionName: detail.value })} />
              </FormField>
              <FormField
                label="Credentials"
                description="The secret with credentials the rotation function can use. The credentials must have permission to update the user name and password on the database."
              >
                <RadioGroup
                  ariaLabel="Credentials"
                  value={state.credentials}
                  onChange={({ detail }) => onChange({ credentials: detail.value as CredentialsChoice })}
                  items={CREDENTIALS}
                />
              </FormField>
              {master}
            </SpaceBetween>
          ) : (
            <SpaceBetween size="l">
              <FormField
                label="Lambda rotation function"
                description="A function you already created for another secret."
                errorText={showErrors ? problems.existingArn : undefined}
              >
                <LambdaFunctionSelect
                  functions={functions}
                  value={state.existingArn}
                  onChange={(existingArn) => onChange({ existingArn })}
                  empty="No Lambda functions in this account and Region"
                />
              </FormField>
              <FormField label="Rotation strategy" description="The type of rotation function.">
                <RadioGroup
                  ariaLabel="Rotation strategy"
                  value={state.existingStrategy}
                  onChange={({ detail }) => onChange({ existingStrategy: detail.value as RotationStrategy })}
                  items={STRATEGIES}
                />
              </FormField>
              {master}
            </SpaceBetween>
          )}
        </SpaceBetween>
      </Container>
      {network}
    </SpaceBetween>
  );
}
