import React, { useId } from 'react';
import { ConfigSection } from '@grafana/plugin-ui';
import { Field, RadioButtonGroup, Switch } from '@grafana/ui';

import { DemoSize, SETTINGS_DEFAULTS, Source } from '../../types';
import { ConfigProps, IniSetting, NumberSetting, TextSetting, setJsonData } from './fields';

const SOURCES: Array<{ value: Source; label: string; description: string }> = [
  { value: 'demo', label: 'Demo tenant', description: 'A simulated tenant built in: no Azure account needed' },
  { value: 'graph', label: 'Microsoft Graph', description: 'Your tenant’s sign-in logs through Microsoft Graph' },
];

const DEMO_SIZES: Array<{ value: DemoSize; label: string }> = [
  { value: 'small', label: 'Small' },
  { value: 'medium', label: 'Medium' },
  { value: 'large', label: 'Large' },
];

export function SourceSection(props: ConfigProps) {
  const { jsonData } = props.options;
  const source = jsonData.source ?? SETTINGS_DEFAULTS.source;

  return (
    <ConfigSection
      title="Source"
      description="Where sign-ins come from. The demo tenant is synthetic data for trying dashboards and alerts."
    >
      <Field label="Source">
        <RadioButtonGroup options={SOURCES} value={source} onChange={(v) => setJsonData(props, 'source', v)} />
      </Field>
      {source === 'demo' && <DemoOptions {...props} />}
    </ConfigSection>
  );
}

function DemoOptions(props: ConfigProps) {
  const { jsonData } = props.options;
  const throttleId = useId();
  return (
    <>
      <NumberSetting
        props={props}
        name="demoSeed"
        label="Seed"
        description="The same seed gives the same users, apps and sign-ins"
        placeholder={String(SETTINGS_DEFAULTS.demoSeed)}
      />
      <Field label="Size" description="Users, apps and sign-ins per hour of the simulated tenant">
        <RadioButtonGroup
          options={DEMO_SIZES}
          value={jsonData.demoSize ?? SETTINGS_DEFAULTS.demoSize}
          onChange={(v) => setJsonData(props, 'demoSize', v)}
        />
      </Field>
      <TextSetting
        props={props}
        name="demoFile"
        label="Replay file"
        description={
          <>
            Optional: absolute path on the Grafana server to a sign-in export (Graph JSON) to serve instead of synthetic
            data. It must be under a directory the server admin allowed with <IniSetting setting="allowed_paths" />.
          </>
        }
        placeholder="/var/lib/grafana/signins.json"
      />
      <NumberSetting
        props={props}
        name="demoFileMaxMB"
        label="Largest replay file (MB)"
        description="A larger replay file is refused with an error naming demoFileMaxMB"
        placeholder={String(SETTINGS_DEFAULTS.demoFileMaxMB)}
      />
      <Field
        label="Simulate throttling"
        description="Answer like Microsoft Graph under load (429 with Retry-After), to see how dashboards cope"
      >
        <Switch
          id={throttleId}
          value={!!jsonData.demoThrottle}
          onChange={(e) => setJsonData(props, 'demoThrottle', e.currentTarget.checked)}
        />
      </Field>
    </>
  );
}
