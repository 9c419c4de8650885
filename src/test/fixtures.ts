import { DataSourceSettings } from '@grafana/data';

import type { DataSource } from '../datasource';
import { SignInDataSourceOptions, SignInSecureJsonData } from '../types';

export function makeSettings(
  jsonData: SignInDataSourceOptions = {},
  secureJsonFields: Record<string, boolean> = {}
): DataSourceSettings<SignInDataSourceOptions, SignInSecureJsonData> {
  const settings: Omit<DataSourceSettings<SignInDataSourceOptions, SignInSecureJsonData>, 'database'> = {
    id: 1,
    uid: 'signinlens',
    orgId: 1,
    name: 'SignInLens',
    type: 'signinlens-entra-datasource',
    typeName: 'SignInLens',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    readOnly: false,
    withCredentials: false,
    jsonData,
    secureJsonFields,
    secureJsonData: {},
  };
  // `database` is a deprecated field that only some core datasources use.
  return settings as DataSourceSettings<SignInDataSourceOptions, SignInSecureJsonData>;
}

/** A datasource stand-in for the editors: only value suggestions are used. */
export function makeDataSource(values: string[] = []) {
  const getValues = jest.fn().mockResolvedValue(values);
  const validate = jest.fn().mockResolvedValue('');
  return { datasource: { getValues, validate } as unknown as DataSource, getValues, validate };
}

/** Matches a label that starts with `text`: Field labels also hold their description. */
export function startsWith(text: string): RegExp {
  return new RegExp('^' + text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}
