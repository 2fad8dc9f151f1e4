import { describe, expect, it } from 'vitest';
import { aFoundNetwork, aNotFoundNetwork, anIsolatedVpc, aVpcDetail, ORDERS_DB } from '../../../test/rotation-fixtures.ts';
import { resolveNetwork } from './network.ts';
import { initialWizardState, NO_VPC, type NetworkState } from './wizard-state.ts';

const untouched: NetworkState = initialWizardState({ rotationEnabled: false }).network;

describe('resolveNetwork', () => {
  it("When the database's VPC is found, then its subnets and security groups are the choice", () => {
    // Arrange / Act
    const network = resolveNetwork({ state: untouched, found: aFoundNetwork(), vpcDetail: aVpcDetail() });

    // Assert
    expect(network.mode).toBe('found');
    expect(network.choice).toEqual({
      vpcId: ORDERS_DB.vpcId,
      subnetIds: ORDERS_DB.subnetIds,
      securityGroupIds: ORDERS_DB.securityGroupIds,
      createSecretsManagerEndpoint: false,
    });
    expect(network.endpointOffered).toBe(false);
  });

  it('When the database is outside any VPC, then the function runs outside one too', () => {
    // Arrange / Act
    const network = resolveNetwork({ state: untouched, found: aFoundNetwork({ dbInstance: { ...ORDERS_DB, vpcId: null } }), vpcDetail: undefined });

    // Assert
    expect(network).toMatchObject({ mode: 'outside', choice: null });
  });

  it("When the VPC detail has not arrived, then the server's suggestEndpoint decides whether the endpoint is offered", () => {
    // Arrange / Act
    const network = resolveNetwork({ state: untouched, found: aFoundNetwork({ suggestEndpoint: true }), vpcDetail: undefined });

    // Assert
    expect(network).toMatchObject({ endpointOffered: true, createEndpoint: true });
  });

  it('When a chosen subnet has no route out and the VPC has no endpoint, then the endpoint is offered and checked unless unticked', () => {
    // Arrange
    const state: NetworkState = { vpcId: 'vpc-isolated', subnetIds: ['subnet-iso-a'], securityGroupIds: ['sg-iso'], createEndpoint: null };

    // Act
    const checked = resolveNetwork({ state, found: aNotFoundNetwork(), vpcDetail: anIsolatedVpc() });
    const unticked = resolveNetwork({ state: { ...state, createEndpoint: false }, found: aNotFoundNetwork(), vpcDetail: anIsolatedVpc() });

    // Assert
    expect(checked).toMatchObject({ mode: 'manual', endpointOffered: true, subnetsWithoutRouteOut: ['subnet-iso-a'] });
    expect(checked.choice?.createSecretsManagerEndpoint).toBe(true);
    expect(unticked.choice?.createSecretsManagerEndpoint).toBe(false);
  });

  it('When the VPC already has a Secrets Manager endpoint, then none is offered', () => {
    // Arrange
    const state: NetworkState = { vpcId: 'vpc-isolated', subnetIds: ['subnet-iso-a'], securityGroupIds: ['sg-iso'], createEndpoint: true };

    // Act
    const network = resolveNetwork({ state, found: aNotFoundNetwork(), vpcDetail: { ...anIsolatedVpc(), secretsManagerEndpointId: 'vpce-1' } });

    // Assert
    expect(network.endpointOffered).toBe(false);
    expect(network.choice?.createSecretsManagerEndpoint).toBe(false);
  });

  it('When nothing is chosen by hand, then the VPC, subnets and security groups are asked for, and "No VPC" means no network', () => {
    // Arrange / Act
    const nothing = resolveNetwork({ state: untouched, found: aNotFoundNetwork(), vpcDetail: undefined });
    const vpcOnly = resolveNetwork({ state: { ...untouched, vpcId: 'vpc-isolated' }, found: aNotFoundNetwork(), vpcDetail: anIsolatedVpc() });
    const noVpc = resolveNetwork({ state: { ...untouched, vpcId: NO_VPC }, found: aNotFoundNetwork(), vpcDetail: undefined });

    // Assert
    expect(nothing.choice).toBeUndefined();
    expect(nothing.problems.vpc).toBeDefined();
    expect(vpcOnly.problems).toEqual({ subnets: 'Choose at least one subnet.', securityGroups: 'Choose at least one security group.' });
    expect(noVpc.choice).toBeNull();
  });
});
