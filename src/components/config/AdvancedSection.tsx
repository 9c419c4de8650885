import React from 'react';
import { ConfigSection } from '@grafana/plugin-ui';

import { CLOUDS, SETTINGS_DEFAULTS, SignInDataSourceOptions } from '../../types';
import { ConfigProps, IniSetting, SecretSetting, TextSetting, anySet } from './fields';

/** Says which server setting a host other than the clouds' own needs. */
function customEndpoint(what: string) {
  return (
    <>
      Base URL of {what}. A host other than an Azure cloud’s own needs{' '}
      <IniSetting setting="allow_custom_endpoints = true" />
    </>
  );
}

export function AdvancedSection(props: ConfigProps) {
  const { jsonData } = props.options;
  const cloud = CLOUDS.find((c) => c.value === (jsonData.cloud ?? SETTINGS_DEFAULTS.cloud)) ?? CLOUDS[0];
  const logAnalytics = jsonData.source === 'logAnalytics';
  // The endpoint of the source's API; the other source's override does not apply.
  const endpoint: keyof SignInDataSourceOptions = logAnalytics ? 'logAnalyticsEndpoint' : 'graphEndpoint';
  return (
    <ConfigSection
      title="Advanced"
      description="Endpoint overrides, for proxies and sovereign deployments. Leave empty to use the cloud's own."
      isCollapsible
      isInitiallyOpen={anySet(props, [endpoint, 'authorityHost'], ['tlsCACert'])}
    >
      {logAnalytics ? (
        <TextSetting
          props={props}
          name="logAnalyticsEndpoint"
          label="Log Analytics endpoint"
          description={customEndpoint('the Log Analytics query API')}
          placeholder={cloud.logAnalyticsEndpoint}
        />
      ) : (
        <TextSetting
          props={props}
          name="graphEndpoint"
          label="Microsoft Graph endpoint"
          description={customEndpoint('Microsoft Graph')}
          placeholder={cloud.graphEndpoint}
        />
      )}
      <TextSetting
        props={props}
        name="authorityHost"
        label="Authority host"
        description={customEndpoint('the Microsoft Entra ID token service')}
        placeholder={cloud.authorityHost}
      />
      <SecretSetting
        props={props}
        name="tlsCACert"
        label="TLS CA certificate"
        description="PEM of a CA to trust in addition to the system's, e.g. behind a TLS-inspecting proxy. Stored encrypted."
        placeholder="-----BEGIN CERTIFICATE-----"
        multiline
      />
    </ConfigSection>
  );
}
