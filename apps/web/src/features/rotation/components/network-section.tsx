import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Multiselect, { type MultiselectProps } from '@cloudscape-design/components/multiselect';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { SecretNetwork, VpcDetail } from '@rotation-console/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { detailAfterHeadline } from '../../../lib/headline.ts';
import type { VpcList } from '../api/list-vpcs.ts';
import type { ResolvedNetwork } from '../utils/network.ts';
import { NO_VPC, type NetworkState } from '../utils/wizard-state.ts';
import { QueryErrorAlert } from '../../../components/query-state.tsx';

/** The seed's network prerequisites, in short. */
const PREREQUISITES =
  'The Lambda function must be able to reach the database: if the database runs in a VPC, the function runs in the same VPC, with security groups that let the two communicate. The function must also reach the Secrets Manager service endpoint: through the internet (no VPC, or a VPC with a NAT gateway) or through a private Secrets Manager endpoint in a VPC without internet access.';

const ENDPOINT_WHY =
  'A chosen subnet has no route out (no NAT gateway or internet gateway) and this VPC has no Secrets Manager endpoint, so the function could not reach Secrets Manager. An interface endpoint with private DNS lets it reach Secrets Manager from inside the VPC.';

export interface NetworkSectionProps {
  found: UseQueryResult<SecretNetwork>;
  vpcs: UseQueryResult<VpcList>;
  vpc: UseQueryResult<VpcDetail>;
  resolved: ResolvedNetwork;
  state: NetworkState;
  onChange: (patch: Partial<NetworkState>) => void;
  showErrors: boolean;
}

/** What the database lookup found, its message without the words of the header. */
function FoundAlert({ type, header, message, children }: { type: 'success' | 'info'; header: string; message: string | undefined; children: ReactNode }) {
  const detail = detailAfterHeadline(header, message);
  return (
    <Alert type={type} header={header}>
      {detail} {children}
    </Alert>
  );
}

/** "Network": where the rotation function runs, found from the database or chosen by hand. */
export function NetworkSection({ found, vpcs, vpc, resolved, state, onChange, showErrors }: NetworkSectionProps) {
  const header = (
    <Header variant="h2" description={PREREQUISITES}>
      Network
    </Header>
  );

  if (found.isPending) {
    return (
      <Container header={header}>
        <StatusIndicator type="loading">Looking for the database</StatusIndicator>
      </Container>
    );
  }
  // Without the lookup the operator can still choose the network by hand.
  const db = found.data?.dbInstance ?? null;
  return (
    <Container header={header}>
      <SpaceBetween size="l">
        {resolved.mode === 'found' && db && (
          <FoundAlert type="success" header={`Found database ${db.id} in ${db.vpcId ?? ''}`} message={found.data?.message}>
            The function runs in the same VPC; the database&apos;s subnets and security groups are preselected.
          </FoundAlert>
        )}
        {resolved.mode === 'outside' && db && (
          <FoundAlert type="info" header={`Found database ${db.id}, outside any VPC`} message={found.data?.message}>
            The function runs outside a VPC too.
          </FoundAlert>
        )}
        {found.isError && <QueryErrorAlert query={found} header="Could not look for the database" />}
        {resolved.mode === 'manual' && (
          <SpaceBetween size="l">
            {found.data && (
              <Alert type="info" header="Database not found">
                {found.data.message}
              </Alert>
            )}
            <VpcField
              vpcs={vpcs}
              value={state.vpcId}
              onChange={(vpcId) => onChange({ vpcId, subnetIds: null, securityGroupIds: null, createEndpoint: null })}
              errorText={showErrors ? resolved.problems.vpc : undefined}
            />
          </SpaceBetween>
        )}
        {resolved.vpcId && <VpcChoices vpc={vpc} resolved={resolved} state={state} onChange={onChange} showErrors={showErrors} />}
      </SpaceBetween>
    </Container>
  );
}

function VpcField({
  vpcs,
  value,
  onChange,
  errorText,
}: {
  vpcs: UseQueryResult<VpcList>;
  value: string | null;
  onChange: (vpcId: string) => void;
  errorText: string | undefined;
}) {
  const noVpc: SelectProps.Option = { value: NO_VPC, label: 'No VPC (the function runs outside a VPC)' };
  const options: SelectProps.Option[] = [
    noVpc,
    ...(vpcs.data?.items ?? []).map((item) => ({
      value: item.id,
      label: item.name ? `${item.name} (${item.id})` : item.id,
      description: [item.cidr, item.isDefault ? 'default VPC' : null].filter(Boolean).join(', ') || undefined,
    })),
  ];
  const selected = value === NO_VPC ? noVpc : (options.find((option) => option.value === value) ?? (value ? { value, label: value } : null));
  return (
    <FormField label="VPC" description="Run the function in the database's VPC." errorText={errorText}>
      <Select
        selectedOption={selected}
        onChange={({ detail }) => {
          if (detail.selectedOption.value) onChange(detail.selectedOption.value);
        }}
        options={options}
        placeholder="Choose a VPC"
        statusType={vpcs.isPending ? 'loading' : vpcs.isError ? 'error' : 'finished'}
        loadingText="Loading VPCs"
        errorText={vpcs.error?.message ?? 'Could not load the VPCs.'}
        recoveryText="Retry"
        onLoadItems={() => {
          if (vpcs.isError) void vpcs.refetch();
        }}
        selectedAriaLabel="Selected"
      />
    </FormField>
  );
}

function VpcChoices({
  vpc,
  resolved,
  state,
  onChange,
  showErrors,
}: {
  vpc: UseQueryResult<VpcDetail>;
  resolved: ResolvedNetwork;
  state: NetworkState;
  onChange: (patch: Partial<NetworkState>) => void;
  showErrors: boolean;
}) {
  if (vpc.isPending) return <StatusIndicator type="loading">Loading subnets and security groups</StatusIndicator>;
  if (vpc.isError) return <QueryErrorAlert query={vpc} header={`Could not load ${resolved.vpcId ?? 'the VPC'}`} />;

  const subnetOptions: MultiselectProps.Option[] = vpc.data.subnets.map((subnet) => ({
    value: subnet.id,
    label: subnet.name ? `${subnet.name} (${subnet.id})` : subnet.id,
    description: [subnet.cidr, subnet.availabilityZone].filter(Boolean).join(', ') || undefined,
    tags: [subnet.hasRouteOut ? 'Route out' : 'No route out'],
  }));
  const groupOptions: MultiselectProps.Option[] = vpc.data.securityGroups.map((group) => ({
    value: group.id,
    label: `${group.name} (${group.id})`,
    description: group.description ?? undefined,
  }));
  const pick = (options: MultiselectProps.Option[], ids: string[]) =>
    ids.map((id) => options.find((option) => option.value === id) ?? { value: id, label: id });

  const allRouteOut = resolved.subnetIds.length > 0 && resolved.subnetsWithoutRouteOut.length === 0;

  return (
    <SpaceBetween size="l">
      <FormField
        label="Subnets"
        description="The function runs in these subnets. A subnet needs a route out (NAT or internet gateway) to reach the public Secrets Manager endpoint."
        errorText={showErrors || state.subnetIds !== null ? resolved.problems.subnets : undefined}
      >
        <Multiselect
          selectedOptions={pick(subnetOptions, resolved.subnetIds)}
          onChange={({ detail }) => onChange({ subnetIds: detail.selectedOptions.flatMap((option) => (option.value ? [option.value] : [])) })}
          options={subnetOptions}
          placeholder="Choose subnets"
          empty="This VPC has no subnets"
          deselectAriaLabel={(option) => `Remove ${option.label ?? option.value ?? ''}`}
          selectedAriaLabel="Selected"
        />
      </FormField>
      <FormField
        label="Security groups"
        description="They must let the function reach the database."
        errorText={showErrors || state.securityGroupIds !== null ? resolved.problems.securityGroups : undefined}
      >
        <Multiselect
          selectedOptions={pick(groupOptions, resolved.securityGroupIds)}
          onChange={({ detail }) => onChange({ securityGroupIds: detail.selectedOptions.flatMap((option) => (option.value ? [option.value] : [])) })}
          options={groupOptions}
          placeholder="Choose security groups"
          empty="This VPC has no security groups"
          deselectAriaLabel={(option) => `Remove ${option.label ?? option.value ?? ''}`}
          selectedAriaLabel="Selected"
        />
      </FormField>
      {vpc.data.secretsManagerEndpointId ? (
        <Box color="text-body-secondary">
          {`This VPC has the Secrets Manager endpoint ${vpc.data.secretsManagerEndpointId}: the function reaches Secrets Manager through it.`}
        </Box>
      ) : resolved.endpointOffered ? (
        <Checkbox
          checked={resolved.createEndpoint}
          onChange={({ detail }) => onChange({ createEndpoint: detail.checked })}
          description={`${ENDPOINT_WHY} Without a route out: ${resolved.subnetsWithoutRouteOut.join(', ')}.`}
        >
          Create a Secrets Manager interface endpoint in this VPC
        </Checkbox>
      ) : allRouteOut ? (
        <Box color="text-body-secondary">The chosen subnets have a route out: the function reaches the public Secrets Manager endpoint.</Box>
      ) : null}
    </SpaceBetween>
  );
}
