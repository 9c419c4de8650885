import React, { useId } from 'react';
import { ConfigSection } from '@grafana/plugin-ui';
import { Alert, Button, Combobox, Field, RadioButtonGroup, Switch } from '@grafana/ui';

import {
  DemoApi,
  DemoSize,
  Option,
  PUSH_DOWNS,
  PushDown,
  SETTINGS_DEFAULTS,
  Source,
  readsLogAnalytics,
  settingsDefaults,
} from '../../types';
import { ConfigProps, GUID_PLACEHOLDER, NumberSetting, TextSetting, isGuid, setJsonData } from './fields';

const SOURCES: Array<Option<Source>> = [
  { value: 'demo', label: 'Demo tenant', description: 'A simulated tenant built in: no Azure account needed' },
  { value: 'graph', label: 'Microsoft Graph', description: 'Your tenant’s sign-in logs through Microsoft Graph' },
  {
    value: 'logAnalytics',
    label: 'Log Analytics workspace',
    description: 'Your tenant’s sign-in logs that its diagnostic settings send to a workspace',
  },
];

const DEMO_APIS: Array<Option<DemoApi>> = [
  { value: 'graph', label: 'Microsoft Graph' },
  { value: 'logAnalytics', label: 'Log Analytics workspace' },
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
        <RadioButtonGroup
          aria-label="Source"
          options={SOURCES}
          value={source}
          onChange={(v) => setJsonData(props, 'source', v)}
        />
      </Field>
      {source === 'demo' && <DemoOptions {...props} />}
      {source === 'logAnalytics' && (
        <TextSetting
          props={props}
          name="workspaceId"
          label="Workspace ID"
          description="The Workspace ID on the Log Analytics workspace’s Overview page"
          placeholder={GUID_PLACEHOLDER}
          required
          validate={workspaceIdError}
        />
      )}
      {readsLogAnalytics(jsonData) && <PushDownOptions {...props} />}
    </ConfigSection>
  );
}

/**
 * Whether queries are counted in the workspace (pushDown) and from how many days under auto
 * (pushDownAfterDays). Shown for a workspace and for the demo speaking Log Analytics: the
 * backend ignores both elsewhere. The default shows as the selected mode and is written only
 * when picked, so the backend stays the one place that decides it.
 */
function PushDownOptions(props: ConfigProps) {
  const { jsonData } = props.options;
  const id = useId();
  const defaults = settingsDefaults(jsonData);
  const mode = jsonData.pushDown ?? defaults.pushDown;
  return (
    <>
      <Field
        label="Push-down"
        description={
          <>
            Which panel queries are counted in the workspace with exact KQL counts (one per table) instead of listing
            their sign-ins into the cache; queries with no exact KQL form always use the cache. Default:{' '}
            {defaults.pushDown === 'auto' ? 'auto for a workspace' : 'never for the demo tenant'}.{' '}
            {PUSH_DOWNS.find((o) => o.value === mode)?.description}.
          </>
        }
      >
        <Combobox<PushDown>
          id={id}
          width={24}
          options={PUSH_DOWNS}
          value={mode}
          onChange={(o) => o && setJsonData(props, 'pushDown', o.value)}
        />
      </Field>
      {mode === 'auto' && (
        <NumberSetting
          props={props}
          name="pushDownAfterDays"
          label="Push down from (days)"
          description="Under auto, a range this many days long or longer is counted in the workspace; shorter ranges are answered by the cache"
          placeholder={String(defaults.pushDownAfterDays)}
        />
      )}
    </>
  );
}

function workspaceIdError(value: string): string | undefined {
  return value.trim() === '' || isGuid(value)
    ? undefined
    : 'Not a GUID: use the Workspace ID, not the workspace’s name or resource ID';
}

function DemoOptions(props: ConfigProps) {
  const { jsonData } = props.options;
  const throttleId = useId();
  return (
    <>
      <Field label="Demo API" description="The API the demo tenant answers through; both show the same tenant">
        <RadioButtonGroup
          aria-label="Demo API"
          options={DEMO_APIS}
          value={jsonData.demoApi ?? SETTINGS_DEFAULTS.demoApi}
          onChange={(v) => setJsonData(props, 'demoApi', v)}
        />
      </Field>
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
      {jsonData.demoFile && <ReplayFileRemoved {...props} />}
      <Field
        label="Simulate throttling"
        description="Answer like the API under load (429 with Retry-After), to see how dashboards cope"
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

/**
 * The plugin reads no file of the server's (Grafana's catalog rules): a saved
 * demoFile is refused by the backend, and this says what replaced it.
 */
function ReplayFileRemoved(props: ConfigProps) {
  return (
    <Alert severity="warning" title="Replay files are no longer read by the plugin">
      This data source still names the replay file {props.options.jsonData.demoFile}, so it does not start. Serve the
      export with <code>graphsim serve --tls --file &lt;export&gt;</code> and read it through a Microsoft Graph data
      source pointed at the address it prints (README, &ldquo;Replaying an export&rdquo;).{' '}
      <Button size="sm" variant="secondary" onClick={() => setJsonData(props, 'demoFile', undefined)}>
        Forget the replay file
      </Button>
    </Alert>
  );
}
