import React from 'react';
import { ConfigSection } from '@grafana/plugin-ui';

import { CLOUDS, SETTINGS_DEFAULTS } from '../../types';
import { ConfigProps, IniSetting, SecretSetting, TextSetting, anySet } from './fields';

export function AdvancedSection(props: ConfigProps) {
  const cloud = CLOUDS.find((c) => c.value === (props.options.jsonData.cloud ?? SETTINGS_DEFAULTS.cloud)) ?? CLOUDS[0];
  return (
    <ConfigSection
      title="Advanced"
      description="Endpoint overrides, for proxies and sovereign deployments. Leave empty to use the cloud's own."
      isCollapsible
      isInitiallyOpen={anySet(props, ['graphEndpoint', 'authorityHost'], ['tlsCACert'])}
    >
      <TextSetting
        props={props}
        name="graphEndpoint"
        label="Microsoft Graph endpoint"
        description={
          <>
            Base URL of Microsoft Graph. A host other than an Azure cloud’s own needs{' '}
            <IniSetting setting="allow_custom_endpoints = true" />
          </>
        }
        placeholder={cloud.graphEndpoint}
      />
      <TextSetting
        props={props}
        name="authorityHost"
        label="Authority host"
        description={
          <>
            Base URL of the Microsoft Entra ID token service. A host other than an Azure cloud’s own needs{' '}
            <IniSetting setting="allow_custom_endpoints = true" />
          </>
        }
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
