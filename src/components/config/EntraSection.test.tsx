import { screen } from '@testing-library/react';

import { startsWith } from '../../test/fixtures';

import { choose } from '../../test/combobox';
import { EntraSection } from './EntraSection';
import { renderConfig } from './testing';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = '66666666-7777-8888-9999-000000000000';

describe('EntraSection', () => {
  it('asks for tenant, client and secret by default, and saves them', async () => {
    const { user, latest } = renderConfig(EntraSection, { source: 'graph' });
    expect(screen.getByLabelText(startsWith('Cloud'))).toHaveValue('Azure (global)');
    expect(screen.getByLabelText(startsWith('Authentication'))).toHaveValue('Client secret');
    expect(screen.getByText(/AuditLog.Read.All/)).toBeInTheDocument();
    expect(screen.queryByText('Log Analytics Reader')).not.toBeInTheDocument();
    expect(screen.getByLabelText(startsWith('Authentication'))).toHaveAccessibleName(/token for Microsoft Graph/);
    expect(screen.queryByText(/forward_settings_to_plugins/)).not.toBeInTheDocument();

    await user.type(screen.getByLabelText(/Tenant ID/), TENANT);
    await user.type(screen.getByLabelText(/Client ID/), CLIENT);
    await user.type(screen.getByLabelText(/Client secret/), 's3cret~');

    expect(latest().jsonData).toEqual({ source: 'graph', tenantId: TENANT, clientId: CLIENT });
    expect(latest().secureJsonData).toEqual({ clientSecret: 's3cret~' });
  });

  it('shows a saved secret as configured and resets it', async () => {
    const { user, latest } = renderConfig(
      EntraSection,
      { source: 'graph', tenantId: TENANT, clientId: CLIENT },
      { clientSecret: true }
    );
    expect(screen.getByLabelText(/Tenant ID/)).toHaveValue(TENANT);
    expect(screen.getByDisplayValue('configured')).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Reset' }));
    expect(latest().secureJsonFields.clientSecret).toBe(false);
    expect(latest().secureJsonData).toEqual({ clientSecret: '' });
  });

  it('takes a PEM certificate for certificate authentication', async () => {
    const { user, latest } = renderConfig(EntraSection, { source: 'graph', authType: 'clientCertificate' });
    expect(screen.queryByLabelText(/Client secret/)).not.toBeInTheDocument();
    await user.type(screen.getByLabelText(/Client certificate/), '-----BEGIN CERTIFICATE-----');
    expect(latest().secureJsonData).toEqual({ clientCertificate: '-----BEGIN CERTIFICATE-----' });
  });

  it('shows only what each authentication needs', async () => {
    const { user, latest } = renderConfig(EntraSection, { source: 'graph' });

    await choose(user, screen.getByLabelText(startsWith('Authentication')), 'Managed identity', 'Managed');
    expect(latest().jsonData.authType).toBe('managedIdentity');
    expect(screen.queryByLabelText(/Tenant ID/)).not.toBeInTheDocument();
    expect(screen.getByLabelText(startsWith('Managed identity client ID'))).toBeInTheDocument();
    expect(screen.queryByLabelText(/Client secret/)).not.toBeInTheDocument();
    expect(screen.getByText('managed_identity_enabled = true')).toBeInTheDocument();
    expect(screen.getByText('forward_settings_to_plugins')).toBeInTheDocument();

    await choose(user, screen.getByLabelText(startsWith('Authentication')), 'Workload identity', 'Workload');
    expect(latest().jsonData.authType).toBe('workloadIdentity');
    expect(screen.getByText(/AZURE_TENANT_ID/)).toBeInTheDocument();
    expect(screen.getByText('workload_identity_enabled = true')).toBeInTheDocument();
    expect(screen.queryByLabelText(/Client secret/)).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/Client certificate/)).not.toBeInTheDocument();
  });

  it('saves the national cloud', async () => {
    const { user, latest } = renderConfig(EntraSection, { source: 'graph' });
    await choose(user, screen.getByLabelText(startsWith('Cloud')), 'Azure US Government', 'US');
    expect(latest().jsonData.cloud).toBe('AzureUSGovernment');
  });

  it('asks a workspace reader for Log Analytics, with the same credentials', async () => {
    const { user, latest } = renderConfig(EntraSection, { source: 'logAnalytics' });
    expect(screen.getByText('Log Analytics Reader')).toBeInTheDocument();
    for (const category of [
      'SignInLogs',
      'NonInteractiveUserSignInLogs',
      'ServicePrincipalSignInLogs',
      'ManagedIdentitySignInLogs',
    ]) {
      expect(screen.getByText(category)).toBeInTheDocument();
    }
    expect(screen.queryByText(/AuditLog.Read.All/)).not.toBeInTheDocument();
    expect(screen.getByLabelText(startsWith('Authentication'))).toHaveAccessibleName(/token for Log Analytics/);

    await user.type(screen.getByLabelText(/Tenant ID/), TENANT);
    await user.type(screen.getByLabelText(/Client ID/), CLIENT);
    await user.type(screen.getByLabelText(/Client secret/), 's3cret~');
    expect(latest().jsonData).toEqual({ source: 'logAnalytics', tenantId: TENANT, clientId: CLIENT });
    expect(latest().secureJsonData).toEqual({ clientSecret: 's3cret~' });

    await choose(user, screen.getByLabelText(startsWith('Authentication')), 'Managed identity', 'Managed');
    expect(screen.getByLabelText(startsWith('Managed identity client ID'))).toBeInTheDocument();
  });
});
