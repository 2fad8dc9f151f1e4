import Select, { type SelectProps } from '@cloudscape-design/components/select';
import type { UseQueryResult } from '@tanstack/react-query';
import type { LambdaFunctionList } from '../lib/api/lambda-functions.ts';
import { functionNameOfArn } from '../lib/lambda-arn.ts';

/** "Rotates no secret", "Rotates a, b and 3 more". */
const rotatesInWords = (usedBy: { name: string }[]) =>
  usedBy.length === 0
    ? 'Rotates no secret'
    : `Rotates ${usedBy
        .slice(0, 2)
        .map((u) => u.name)
        .join(', ')}${usedBy.length > 2 ? ` and ${usedBy.length - 2} more` : ''}`;

interface LambdaFunctionSelectProps {
  /** The functions offered (useLambdaFunctions). */
  functions: UseQueryResult<LambdaFunctionList>;
  /** The ARN chosen; shown by its name even before (or if never) the list has it. */
  value: string | null;
  onChange: (functionArn: string) => void;
  /** What the empty list says. */
  empty: string;
}

/**
 * The existing Lambda rotation function to use, as the console's picker offers it: each function
 * with its owner, the secrets it rotates, its runtime and VPC; one the person may not use is shown
 * disabled. Used by the wizard's function step and the batch's configuration.
 */
export function LambdaFunctionSelect({ functions, value, onChange, empty }: LambdaFunctionSelectProps) {
  const options: SelectProps.Option[] = (functions.data?.items ?? []).map((fn) => ({
    value: fn.arn,
    label: fn.name,
    description:
      [fn.owner ? `Owner: ${fn.owner}` : null, fn.usedBy ? rotatesInWords(fn.usedBy) : null, fn.description].filter(Boolean).join(' · ') || undefined,
    tags: [fn.runtime, fn.vpcId].filter((tag): tag is string => Boolean(tag)),
    disabled: fn.usable === false,
  }));
  const selected = value ? (options.find((option) => option.value === value) ?? { value, label: functionNameOfArn(value) }) : null;
  return (
    <Select
      selectedOption={selected}
      onChange={({ detail }) => {
        if (detail.selectedOption.value) onChange(detail.selectedOption.value);
      }}
      options={options}
      placeholder="Choose a Lambda function"
      filteringType="auto"
      filteringPlaceholder="Find a function"
      filteringAriaLabel="Find a function"
      statusType={functions.isPending ? 'loading' : functions.isError ? 'error' : 'finished'}
      loadingText="Loading Lambda functions"
      errorText={functions.error?.message ?? 'Could not load the Lambda functions.'}
      recoveryText="Retry"
      onLoadItems={() => {
        if (functions.isError) void functions.refetch();
      }}
      empty={empty}
      noMatch="No function matches"
      selectedAriaLabel="Selected"
    />
  );
}
