/**
 * A stand-in for @grafana/runtime, for the browser harness only (browser-test/webpack.config.js
 * aliases the package to this file). Inside Grafana the real package talks to Grafana's own
 * services; here only what the editors and src/datasource.ts reach is provided:
 *
 * - getBackendSrv().get, DataSourceWithBackend.getResource and postResource: requests to the
 *   URLs Grafana uses (/api/datasources/uid/<uid>/resources/<path>), which the test server
 *   answers.
 * - getTemplateSrv: the dashboard's variables (the harness sets them) and a replace()
 *   that substitutes them.
 * - config: the few fields @grafana/plugin-ui reads.
 */
import {
  DataQuery,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourceJsonData,
  TestDataSourceResponse,
} from '@grafana/data';
import { Observable, of } from 'rxjs';

type Params = Record<string, string | number | boolean | undefined>;

export class DataSourceWithBackend<
  TQuery extends DataQuery = DataQuery,
  TOptions extends DataSourceJsonData = DataSourceJsonData,
> extends DataSourceApi<TQuery, TOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<TOptions>) {
    super(instanceSettings);
  }

  // The editors never run queries; a harness query answers with no data.
  query(_: DataQueryRequest<TQuery>): Observable<DataQueryResponse> {
    return of({ data: [] });
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    return { status: 'success', message: 'browser harness' };
  }

  async getResource<T = unknown>(path: string, params?: Params): Promise<T> {
    return backendSrv.get<T>(`/api/datasources/uid/${this.uid}/resources/${path}`, params);
  }

  async postResource<T = unknown>(path: string, data?: unknown): Promise<T> {
    return backendSrv.post<T>(`/api/datasources/uid/${this.uid}/resources/${path}`, data);
  }
}

/** Grafana's backend service, reduced to GET and POST: same-origin requests to the test server. */
const backendSrv = {
  async post<T = unknown>(url: string, data?: unknown): Promise<T> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(data),
    });
    if (!res.ok) {
      throw { status: res.status, statusText: res.statusText, data: await res.text() };
    }
    return (await res.json()) as T;
  },
  async get<T = unknown>(url: string, params?: Params): Promise<T> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params ?? {})) {
      if (v !== undefined) {
        query.set(k, String(v));
      }
    }
    const qs = query.toString();
    const res = await fetch(qs ? `${url}?${qs}` : url);
    if (!res.ok) {
      // Grafana's backendSrv rejects with the response's status and body.
      throw { status: res.status, statusText: res.statusText, data: await res.text() };
    }
    return (await res.json()) as T;
  },
};

export const getBackendSrv = () => backendSrv;

interface Variable {
  name: string;
  /** The current value(s); several for a multi-value variable. */
  value: string | string[];
}

let variables: Variable[] = [];

/** The harness's dashboard variables. */
export function setVariables(next: Variable[]) {
  variables = next;
}

function format(value: string | string[], fmt?: unknown): string {
  const values = Array.isArray(value) ? value : [value];
  switch (fmt) {
    case 'csv':
      return values.join(',');
    case 'regex':
      return values.length > 1 ? `(${values.join('|')})` : values[0];
    default:
      return values.length > 1 ? `{${values.join(',')}}` : values[0];
  }
}

const templateSrv = {
  getVariables: () => variables.map((v) => ({ name: v.name, type: 'custom', label: v.name })),
  replace: (target = '', _scopedVars?: unknown, fmt?: unknown) =>
    target.replace(/\$(\w+)|\$\{(\w+)\}/g, (whole, a?: string, b?: string) => {
      const v = variables.find((x) => x.name === (a ?? b));
      return v ? format(v.value, fmt) : whole;
    }),
  containsTemplate: (target = '') => /\$\w+|\$\{\w+\}/.test(target),
  updateTimeRange: () => {},
};

export const getTemplateSrv = () => templateSrv;

export const config = {
  featureToggles: {} as Record<string, boolean>,
  buildInfo: { version: '12.4.10', edition: 'Open Source' },
  bootData: { user: {}, settings: {} },
};

function notInHarness(name: string): never {
  throw new Error(`@grafana/runtime ${name} is not available in the browser harness`);
}

// Referenced by parts of @grafana/plugin-ui the editors do not render; they fail loudly if reached.
export const getDataSourceSrv = () => notInHarness('getDataSourceSrv');
export const toDataQueryResponse = () => notInHarness('toDataQueryResponse');
export const getGrafanaLiveSrv = () => notInHarness('getGrafanaLiveSrv');
export const reportInteraction = () => {};
