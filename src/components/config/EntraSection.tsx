import React, { useId } from 'react';
import { ConfigSection } from '@grafana/plugin-ui';
import { Combobox, Field } from '@grafana/ui';

import { AUTH_TYPES, AuthType, CLOUDS, Cloud, SETTINGS_DEFAULTS } from '../../types';
import { ConfigProps, GUID_PLACEHOLDER, IniSetting, SecretSetting, TextSetting, setJsonData } from './fields';

export function EntraSection(props: ConfigProps) {
  const { jsonData } = props.options;
  const cloudId = useId();
  const authId = useId();
  const authType = jsonData.authType ?? SETTINGS_DEFAULTS.authType;
  const logAnalytics = jsonData.source === 'logAnalytics';
  const cloudOptions = CLOUDS.map((c) => ({ value: c.value, label: c.label }));

  return (
    <ConfigSection title="Microsoft Entra ID" description={logAnalytics ? <LogAnalyticsAccess /> : <GraphAccess />}>
      <Field label="Cloud" description="The national cloud of the tenant">
        <Combobox<Cloud>
          id={cloudId}
          width={40}
          options={cloudOptions}
          value={jsonData.cloud ?? SETTINGS_DEFAULTS.cloud}
          onChange={(o) => o && setJsonData(props, 'cloud', o.value)}
        />
      </Field>
      <Field
        label="Authentication"
        description={<AuthDescription authType={authType} api={logAnalytics ? 'Log Analytics' : 'Microsoft Graph'} />}
      >
        <Combobox<AuthType>
          id={authId}
          width={40}
          options={AUTH_TYPES}
          value={authType}
          onChange={(o) => o && setJsonData(props, 'authType', o.value)}
        />
      </Field>
      <Credentials {...props} authType={authType} />
    </ConfigSection>
  );
}

/** What the app needs to read sign-ins through Microsoft Graph. */
function GraphAccess() {
  return (
    <>
      An app registration with the <code>AuditLog.Read.All</code> and <code>Directory.Read.All</code> application
      permissions (admin consent granted). Sign-in logs need Microsoft Entra ID P1 or P2.
    </>
  );
}

/** What the identity needs to read a workspace, and what must feed the workspace. */
function LogAnalyticsAccess() {
  return (
    <>
      An app registration or managed identity with the <strong>Log Analytics Reader</strong> role on the workspace
      (Azure RBAC). The tenant’s Entra diagnostic settings must send <code>SignInLogs</code>,{' '}
      <code>NonInteractiveUserSignInLogs</code>, <code>ServicePrincipalSignInLogs</code> and{' '}
      <code>ManagedIdentitySignInLogs</code> to the workspace. Sign-in logs need Microsoft Entra ID P1 or P2.
    </>
  );
}

/** Grafana's [azure] setting that enables an authentication, for those that need one. */
const AZURE_SETTINGS: Partial<Record<AuthType, string>> = {
  managedIdentity: 'managed_identity_enabled = true',
  workloadIdentity: 'workload_identity_enabled = true',
};

/** What the authentication does, and what the server admin must enable for it. */
function AuthDescription({ authType, api }: { authType: AuthType; api: string }) {
  const setting = AZURE_SETTINGS[authType];
  return (
    <>
      How SignInLens gets a token for {api}
      {setting && (
        <>
          . The server admin must set <IniSetting setting={setting} section="[azure]" />, and list
          signinlens-entra-datasource in its <code>forward_settings_to_plugins</code>
        </>
      )}
    </>
  );
}

/** The fields the chosen authentication needs, and only those. */
function Credentials(props: ConfigProps & { authType: AuthType }) {
  switch (props.authType) {
    case 'clientSecret':
      return (
        <>
          <TenantId props={props} required />
          <ClientId props={props} required />
          <SecretSetting
            props={props}
            name="clientSecret"
            label="Client secret"
            description="A secret of the app registration (Certificates & secrets). Stored encrypted."
            placeholder="Client secret value"
            required
          />
        </>
      );
    case 'clientCertificate':
      return (
        <>
          <TenantId props={props} required />
          <ClientId props={props} required />
          <SecretSetting
            props={props}
            name="clientCertificate"
            label="Client certificate"
            description="PEM with the certificate and its unencrypted private key; the certificate is uploaded to the app registration. Stored encrypted."
            placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----BEGIN PRIVATE KEY-----\n…'}
            required
            multiline
          />
        </>
      );
    case 'managedIdentity':
      return (
        <ClientId
          props={props}
          label="Managed identity client ID"
          description="Only for a user-assigned identity; empty uses the system-assigned identity of the Azure host running Grafana"
        />
      );
    case 'workloadIdentity':
      return (
        <>
          <TenantId props={props} description="Empty uses AZURE_TENANT_ID of the Grafana server" />
          <ClientId props={props} description="Empty uses AZURE_CLIENT_ID of the Grafana server" />
        </>
      );
  }
}

interface IdProps {
  props: ConfigProps;
  required?: boolean;
  label?: string;
  description?: string;
}

function TenantId({ props, required, label = 'Tenant ID', description }: IdProps) {
  return (
    <TextSetting
      props={props}
      name="tenantId"
      label={label}
      description={description ?? 'Directory (tenant) ID of the app registration'}
      placeholder={GUID_PLACEHOLDER}
      required={required}
    />
  );
}

function ClientId({ props, required, label = 'Client ID', description }: IdProps) {
  return (
    <TextSetting
      props={props}
      name="clientId"
      label={label}
      description={description ?? 'Application (client) ID of the app registration'}
      placeholder={GUID_PLACEHOLDER}
      required={required}
    />
  );
}
