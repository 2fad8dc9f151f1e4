import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { strategyLabels, type RotationStrategy } from '@rotation-console/contracts';
import { LambdaFunctionSelect } from '../../../components/lambda-function-select.tsx';
import { useLambdaFunctions } from '../../../lib/api/lambda-functions.ts';
import type { ConfigurationProblems, EnableConfiguration, IntervalChoice } from '../utils/configuration.ts';

const INTERVALS: { value: IntervalChoice; label: string }[] = [
  { value: '30', label: '30 days' },
  { value: '60', label: '60 days' },
  { value: '90', label: '90 days' },
  { value: 'custom', label: 'Custom' },
  { value: 'expression', label: 'Schedule expression' },
];

const STRATEGIES: { value: RotationStrategy; label: string; description: string }[] = [
  {
    value: 'single-user',
    label: strategyLabels['single-user'],
    description: 'Each secret stores credentials for a user with permission to change its own password.',
  },
  {
    value: 'alternating-users',
    label: strategyLabels['alternating-users'],
    description: 'A master secret stores credentials for a user who may change the credentials of every selected secret.',
  },
];

interface EnableFormProps {
  value: EnableConfiguration;
  onChange: (patch: Partial<EnableConfiguration>) => void;
  problems: ConfigurationProblems;
  showErrors: boolean;
  /** One selected secret, so the functions offered are its team's; none for a filter. */
  sampleSecretId: string | undefined;
}

/**
 * One rotation configuration for every selected secret, in the wizard's words: the interval or a
 * schedule expression and the window, one function (an existing one, or one new function the batch
 * creates once and shares), single-user or multi-user with the master secret.
 */
export function EnableForm({ value, onChange, problems, showErrors, sampleSecretId }: EnableFormProps) {
  const functions = useLambdaFunctions(sampleSecretId, { enabled: value.functionMode === 'existing' });
  const error = (field: keyof ConfigurationProblems) => (showErrors ? problems[field] : undefined);

  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Rotation configuration</Header>}>
        <SpaceBetween size="l">
          <FormField
            label="Select rotation interval"
            description="Every selected secret rotates on this schedule. With a cron() expression that starts at one hour, the batch gives each secret its own hour of the window, so the databases are not all rotated at once; a schedule in days opens every window at midnight UTC."
            errorText={error('customDays') ?? error('expression')}
          >
            <RadioGroup value={value.interval} onChange={({ detail }) => onChange({ interval: detail.value as IntervalChoice })} items={INTERVALS} />
          </FormField>
          {value.interval === 'custom' && (
            <FormField label="Custom interval in days" constraintText="A whole number from 1 to 1000.">
              <Input type="number" inputMode="numeric" value={value.customDays} onChange={({ detail }) => onChange({ customDays: detail.value })} />
            </FormField>
          )}
          {value.interval === 'expression' && (
            <FormField
              label="Schedule expression"
              description="A rate() or cron() expression, as RotateSecret accepts."
              constraintText="For example cron(0 0 ? * SUN *)."
            >
              <Input value={value.expression} placeholder="cron(0 0 ? * SUN *)" onChange={({ detail }) => onChange({ expression: detail.value })} />
            </FormField>
          )}
          <FormField
            label="Window duration"
            description="Secrets Manager rotates each secret at any time during its window. For a cron() schedule the batch cuts this window into one-hour slots and spreads the secrets over them. Leave empty for the default window (to the end of the day)."
            constraintText="Hours, for example 4h."
          >
            <Input value={value.duration} placeholder="4h" onChange={({ detail }) => onChange({ duration: detail.value })} />
          </FormField>
          <Checkbox
            checked={value.rotateImmediately}
            onChange={({ detail }) => onChange({ rotateImmediately: detail.checked })}
            description="Off: each secret first rotates in its own window. On: every secret rotates once as the batch turns its rotation on."
          >
            Rotate immediately when the secret is stored
          </Checkbox>
        </SpaceBetween>
      </Container>
      <Container header={<Header variant="h2">Rotation function</Header>}>
        <SpaceBetween size="l">
          <RadioGroup
            ariaLabel="Rotation function"
            value={value.functionMode}
            onChange={({ detail }) => onChange({ functionMode: detail.value as EnableConfiguration['functionMode'] })}
            items={[
              { value: 'existing', label: 'Use an existing Lambda function to perform rotation' },
              {
                value: 'create',
                label: 'Create a new Lambda function to perform rotation',
                description: 'One function, created once, rotates every selected secret.',
              },
            ]}
          />
          {value.functionMode === 'create' ? (
            <FormField label="Lambda function name" description="The name of the one Lambda function the batch creates." errorText={error('functionName')}>
              <Input value={value.functionName} onChange={({ detail }) => onChange({ functionName: detail.value })} />
            </FormField>
          ) : (
            <FormField label="Lambda rotation function" description="A function you already created for other secrets." errorText={error('functionArn')}>
              <LambdaFunctionSelect
                functions={functions}
                value={value.functionArn}
                onChange={(functionArn) => onChange({ functionArn })}
                empty="No Lambda functions you may use"
              />
            </FormField>
          )}
          <FormField label="Rotation strategy" description="The type of rotation function.">
            <RadioGroup
              ariaLabel="Rotation strategy"
              value={value.strategy}
              onChange={({ detail }) => onChange({ strategy: detail.value as RotationStrategy })}
              items={STRATEGIES}
            />
          </FormField>
          {value.strategy === 'alternating-users' && (
            <FormField
              label="Master secret"
              description="The name or ARN of a secret whose credentials may update the credentials stored in every selected secret (same engine and host)."
              errorText={error('masterSecretId')}
            >
              <Input value={value.masterSecretId} onChange={({ detail }) => onChange({ masterSecretId: detail.value })} />
            </FormField>
          )}
        </SpaceBetween>
      </Container>
    </SpaceBetween>
  );
}
