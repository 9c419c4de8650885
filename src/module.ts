import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { SignInDataSourceOptions, SignInQuery, SignInSecureJsonData } from './types';

// The variable query editor is wired through DataSource.variables (see variables.ts).
export const plugin = new DataSourcePlugin<DataSource, SignInQuery, SignInDataSourceOptions, SignInSecureJsonData>(
  DataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
