/**
 * The browser harness page: the plugin's real QueryEditor (builder and code mode),
 * AnnotationQueryEditor, VariableQueryEditor and ConfigEditor, an Explore-like view of the
 * backend's logs frame, each kept in state as Grafana does, with what the editor last reported
 * through onChange shown below it as JSON. browser-test/run.js bundles, serves and drives it.
 */
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { css } from '@emotion/css';
import {
  DataSourceInstanceSettings,
  DataSourcePluginMeta,
  DataSourceSettings,
  GrafanaTheme2,
  PluginType,
  ThemeContext,
  TimeRange,
  createTheme,
  dateTime,
} from '@grafana/data';
import { GlobalStyles, useStyles2 } from '@grafana/ui';

import { AnnotationQueryEditor } from '../../src/components/AnnotationQueryEditor';
import { ConfigEditor } from '../../src/components/ConfigEditor';
import { QueryEditor } from '../../src/components/QueryEditor';
import { VariableQueryEditor } from '../../src/components/VariableQueryEditor';
import { ANNOTATION_QUERY, DataSource } from '../../src/datasource';
import { SignInDataSourceOptions, SignInQuery, SignInSecureJsonData, SignInVariableQuery } from '../../src/types';
import { ExploreLogs } from './ExploreLogs';
import { setVariables } from './runtime-stub';

// Monaco (the code editor) runs its language services in web workers, which Grafana's build
// provides; the harness bundles the two the JSON editor uses (webpack 5 bundles each
// `new Worker(new URL(...))` as a chunk of its own).
Object.assign(self, {
  MonacoEnvironment: {
    getWorker(_: string, label: string) {
      return label === 'json'
        ? new Worker(new URL('monaco-editor/esm/vs/language/json/json.worker.js', import.meta.url))
        : new Worker(new URL('monaco-editor/esm/vs/editor/editor.worker.js', import.meta.url));
    },
  },
});

// Grafana's default (dark) theme. Its Inter font is not available (see no-fonts.ts): system fonts stand in.
const theme = createTheme();

const meta: DataSourcePluginMeta<SignInDataSourceOptions> = {
  id: 'signinlens-entra-datasource',
  name: 'SignInLens',
  type: PluginType.datasource,
  module: 'public/plugins/signinlens-entra-datasource/module.js',
  baseUrl: 'public/plugins/signinlens-entra-datasource',
  backend: true,
  info: {
    author: { name: 'SignInLens' },
    description: 'Microsoft Entra ID sign-in logs',
    links: [],
    logos: { small: '', large: '' },
    screenshots: [],
    updated: '2026-11-01',
    version: '0.1.0',
  },
};

const instanceSettings: DataSourceInstanceSettings<SignInDataSourceOptions> = {
  id: 1,
  uid: 'signinlens',
  type: meta.id,
  name: 'SignInLens',
  meta,
  access: 'proxy',
  readOnly: false,
  jsonData: { source: 'demo' },
};

const datasource = new DataSource(instanceSettings);

// The dashboard's time range: fixed, so the values requests the test checks are predictable.
const range: TimeRange = {
  from: dateTime('2026-11-01T00:00:00Z'),
  to: dateTime('2026-11-02T00:00:00Z'),
  raw: { from: 'now-24h', to: 'now' },
};

setVariables([{ name: 'country', value: ['DE', 'FR'] }]);

const initialQuery: SignInQuery = {
  refId: 'A',
  logType: 'interactive',
  format: 'timeSeries',
  metric: 'failures',
  groupBy: ['app', 'country'],
  filters: [
    { key: 'app', op: '=', value: 'Microsoft Teams' },
    { key: 'country', op: 'in', value: '$country' },
  ],
  timeAggregate: '1h',
};

const initialVariableQuery: SignInVariableQuery = {
  refId: 'SignInLensVariableQuery',
  queryType: 'variable',
  key: 'app',
  logType: 'all',
  filters: [{ key: 'status', op: '=', value: 'failure' }],
};

type Settings = DataSourceSettings<SignInDataSourceOptions, SignInSecureJsonData>;

const initialSettings: Omit<Settings, 'database'> = {
  id: 1,
  uid: 'signinlens',
  orgId: 1,
  name: 'SignInLens',
  type: meta.id,
  typeName: 'SignInLens',
  typeLogoUrl: '',
  access: 'proxy',
  url: '',
  user: '',
  basicAuth: false,
  basicAuthUser: '',
  isDefault: true,
  readOnly: false,
  withCredentials: false,
  jsonData: {
    source: 'graph',
    cloud: 'AzureCloud',
    authType: 'clientSecret',
    tenantId: '8f2c1d4e-0b7a-4c3e-9d21-5a6b7c8d9e0f',
    clientId: '3b9e7f10-2c4d-4e8a-b1f2-6d7e8f9a0b1c',
    cacheSizeMB: 512,
  },
  secureJsonFields: { clientSecret: true },
  secureJsonData: {},
};

function QueryEditorPanel() {
  const [query, setQuery] = useState<SignInQuery>(initialQuery);
  const [received, setReceived] = useReceived<SignInQuery>();
  const [runs, setRuns] = useState(0);
  return (
    <Panel id="query-editor" title="Query editor" received={received} runs={runs}>
      <QueryEditor
        datasource={datasource}
        query={query}
        range={range}
        onChange={(q) => {
          setReceived(q);
          setQuery(q);
        }}
        onRunQuery={() => setRuns((n) => n + 1)}
      />
    </Panel>
  );
}

function AnnotationEditorPanel() {
  const [query, setQuery] = useState<SignInQuery>({ refId: 'Anno', ...ANNOTATION_QUERY });
  const [received, setReceived] = useReceived<SignInQuery>();
  return (
    <Panel id="annotation-editor" title="Annotation query editor" received={received}>
      <AnnotationQueryEditor
        datasource={datasource}
        query={query}
        range={range}
        onChange={(q) => {
          setReceived(q);
          setQuery(q);
        }}
        onRunQuery={() => {}}
      />
    </Panel>
  );
}

function ExploreLogsPanel() {
  const [query, setQuery] = useState<SignInQuery>({ refId: 'A', logType: 'interactive', format: 'logs', filters: [] });
  const [received, setReceived] = useReceived<SignInQuery>();
  return (
    <Panel id="explore-logs" title="Explore-like logs (the backend's logs frame)" received={received}>
      <ExploreLogs
        datasource={datasource}
        query={query}
        onChange={(q) => {
          setReceived(q);
          setQuery(q);
        }}
      />
    </Panel>
  );
}

function VariableQueryEditorPanel() {
  const [query, setQuery] = useState<SignInVariableQuery>(initialVariableQuery);
  const [received, setReceived] = useReceived<SignInVariableQuery>();
  return (
    <Panel id="variable-query-editor" title="Variable query editor" received={received}>
      <VariableQueryEditor
        datasource={datasource}
        query={query}
        range={range}
        onChange={(q) => {
          setReceived(q);
          setQuery(q);
        }}
        onRunQuery={() => {}}
      />
    </Panel>
  );
}

function ConfigEditorPanel() {
  const [options, setOptions] = useState(initialSettings as Settings);
  const [received, setReceived] = useReceived<Settings>();
  return (
    <Panel id="config-editor" title="Config editor" received={received}>
      <ConfigEditor
        options={options}
        onOptionsChange={(o) => {
          setReceived(o);
          setOptions(o);
        }}
      />
    </Panel>
  );
}

/** What an editor reported through onChange: the last value and how many calls. */
interface Received<T> {
  last?: T;
  calls: number;
}

function useReceived<T>(): [Received<T>, (value: T) => void] {
  const [received, set] = useState<Received<T>>({ calls: 0 });
  return [received, (value: T) => set((r) => ({ last: value, calls: r.calls + 1 }))];
}

interface PanelProps {
  id: string;
  title: string;
  received: Received<unknown>;
  runs?: number;
  children: React.ReactNode;
}

function Panel({ id, title, received, runs, children }: PanelProps) {
  const styles = useStyles2(getStyles);
  const counts = [`onChange called ${received.calls} times`];
  if (runs !== undefined) {
    counts.push(`onRunQuery called ${runs} times`);
  }
  return (
    <section className={styles.panel} data-testid={id}>
      <h2 className={styles.title}>{title}</h2>
      <div className={styles.editor} data-testid={`${id}-product`}>
        {children}
      </div>
      <h3 className={styles.subtitle} data-testid={`${id}-counts`}>
        Last onChange value ({counts.join(', ')})
      </h3>
      <pre className={styles.json} data-testid={`${id}-json`}>
        {received.last === undefined ? '(no change yet)' : JSON.stringify(received.last, null, 2)}
      </pre>
    </section>
  );
}

const getStyles = (t: GrafanaTheme2) => ({
  panel: css({
    background: t.colors.background.primary,
    border: `1px solid ${t.colors.border.weak}`,
    borderRadius: t.shape.radius.default,
    padding: t.spacing(2),
    margin: t.spacing(2),
  }),
  title: css({ ...t.typography.h4, marginBottom: t.spacing(2) }),
  subtitle: css({ ...t.typography.h6, color: t.colors.text.secondary, marginTop: t.spacing(2) }),
  editor: css({ background: t.colors.background.secondary, padding: t.spacing(1) }),
  json: css({ maxHeight: 240, overflow: 'auto', fontSize: t.typography.bodySmall.fontSize }),
});

function App() {
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <main data-testid="harness-ready">
        <QueryEditorPanel />
        <AnnotationEditorPanel />
        <ExploreLogsPanel />
        <VariableQueryEditorPanel />
        <ConfigEditorPanel />
      </main>
    </ThemeContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
