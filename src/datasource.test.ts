import {
  DataQueryRequest,
  DataSourceInstanceSettings,
  LogRowContextQueryDirection,
  LogRowModel,
  ScopedVars,
  SupplementaryQueryType,
  dateTime,
} from '@grafana/data';
import { DataSourceWithBackend } from '@grafana/runtime';
import { lastValueFrom, of, toArray } from 'rxjs';

import { DataSource } from './datasource';
import { SignInDataSourceOptions, SignInQuery, SignInVariableQuery } from './types';

// A template service that knows a few variables and formats them the way Grafana does
// for the formats the datasource asks for.
const variables: Record<string, string[]> = {
  app: ['Outlook'],
  status: ['failure', 'interrupted'],
  dims: ['app', 'status'],
  dim: ['browser'],
  agg: ['6h'],
  lt: ['nonInteractive'],
};

function replace(target: string | undefined, scopedVars?: ScopedVars, format?: string): string {
  return (target ?? '').replace(/\$(\w+)/g, (match, name: string) => {
    const scoped = scopedVars?.[name]?.value;
    const values = scoped !== undefined ? [String(scoped)] : variables[name];
    if (!values) {
      return match;
    }
    switch (format) {
      case 'csv':
        return values.join(',');
      case 'regex':
        return values.length > 1 ? `(${values.join('|')})` : values[0];
      default:
        return values.length > 1 ? `{${values.join(',')}}` : values[0];
    }
  });
}

const getDataStream = jest.fn();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ replace }),
  getGrafanaLiveSrv: () => ({ getDataStream }),
}));

function makeDataSource(): DataSource {
  return new DataSource({
    id: 1,
    uid: 'signinlens',
    type: 'signinlens-entra-datasource',
    name: 'SignInLens',
    jsonData: {},
    meta: { id: 'signinlens-entra-datasource' },
  } as unknown as DataSourceInstanceSettings<SignInDataSourceOptions>);
}

describe('DataSource', () => {
  const ds = makeDataSource();

  it('gives new queries the contract defaults', () => {
    expect(ds.getDefaultQuery('dashboard' as never)).toEqual({
      logType: 'interactive',
      format: 'timeSeries',
      metric: 'count',
      groupBy: [],
      filters: [],
      timeAggregate: 'auto',
    });
  });

  it('does not run hidden queries', () => {
    expect(ds.filterQuery({ refId: 'A', hide: true })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', hide: false })).toBe(true);
    expect(ds.filterQuery({ refId: 'A' })).toBe(true);
  });

  it('shows a query in words in query history', () => {
    expect(ds.getQueryDisplayText({ refId: 'A', metric: 'failures', groupBy: ['app'], timeAggregate: '1h' })).toBe(
      'Failures of interactive sign-ins by app, per 1h'
    );
  });

  describe('logs volume', () => {
    it('counts a logs query by status over the range, and no other format', () => {
      const logs = {
        refId: 'A',
        logType: 'interactive',
        format: 'logs',
        limit: 100,
        filters: [{ key: 'app', op: '=', value: 'Outlook' }],
      } as SignInQuery;
      expect(ds.getSupportedSupplementaryQueryTypes()).toEqual([SupplementaryQueryType.LogsVolume]);
      expect(ds.getSupplementaryQuery({ type: SupplementaryQueryType.LogsVolume }, logs)).toEqual({
        refId: 'log-volume-A',
        logType: 'interactive',
        format: 'timeSeries',
        metric: 'count',
        groupBy: ['status'],
        timeAggregate: 'auto',
        filters: [{ key: 'app', op: '=', value: 'Outlook' }],
      });
      expect(
        ds.getSupplementaryQuery({ type: SupplementaryQueryType.LogsVolume }, { ...logs, format: 'table' })
      ).toBeUndefined();
    });

    it('labels each volume series with the log level of its status, so Explore colours it', async () => {
      const series = (refId: string, status: string) => ({
        refId,
        length: 1,
        fields: [
          { name: 'time', type: 'time', values: [1], config: {} },
          { name: 'count', type: 'number', values: [3], config: {}, labels: { status } },
        ],
      });
      const spy = jest
        .spyOn(DataSourceWithBackend.prototype, 'query')
        .mockReturnValue(
          of({ data: [series('log-volume-A', 'failure'), series('log-volume-A', 'success'), series('B', 'failure')] })
        );
      const res = await lastValueFrom(ds.query({ targets: [] } as unknown as DataQueryRequest<SignInQuery>));
      expect(res.data.map((f) => f.fields[1].labels)).toEqual([
        { status: 'failure', level: 'error' },
        { status: 'success', level: 'info' },
        { status: 'failure' },
      ]);
      spy.mockRestore();
    });
  });

  describe('log context', () => {
    const row = {
      uid: 'r1',
      timeEpochMs: Date.parse('2026-03-02T10:00:00Z'),
      labels: { logType: 'interactive', user: 'al@contoso.com', userId: 'u-1', ipAddress: '203.0.113.7' },
    } as unknown as LogRowModel;

    it("asks for the same user's sign-ins before a sign-in", async () => {
      const spy = jest.spyOn(DataSourceWithBackend.prototype, 'query').mockReturnValue(of({ data: [] }));
      await ds.getLogRowContext(row, { direction: LogRowContextQueryDirection.Backward, limit: 20 }, {
        refId: 'A',
      } as SignInQuery);
      const request = spy.mock.calls[0][0];
      expect(request.targets).toEqual([
        {
          refId: 'log-context-A',
          logType: 'interactive',
          format: 'logs',
          filters: [{ key: 'userId', op: '=', value: 'u-1' }],
          limit: 20,
        },
      ]);
      expect(request.range.from.toISOString()).toBe('2026-03-02T08:00:00.000Z');
      expect(request.range.to.toISOString()).toBe('2026-03-02T10:00:00.000Z');
      spy.mockRestore();
    });

    it('after a sign-in, and as a query Explore can open, narrowed to the window', async () => {
      const q = await ds.getLogRowContextQuery(row, {
        direction: LogRowContextQueryDirection.Forward,
        timeWindowMs: 60_000,
      });
      expect(q).toEqual(
        expect.objectContaining({
          filters: [{ key: 'userId', op: '=', value: 'u-1' }],
          timeFrom: '2026-03-02T10:00:00.001Z',
          timeTo: '2026-03-02T10:01:00.001Z',
        })
      );
      const workload = {
        ...row,
        labels: { logType: 'servicePrincipal', servicePrincipalId: 'sp-9' },
      } as unknown as LogRowModel;
      expect((await ds.getLogRowContextQuery(workload))?.filters).toEqual([
        { key: 'servicePrincipalId', op: '=', value: 'sp-9' },
      ]);
    });
  });

  describe('live tail (Explore live mode)', () => {
    it('follows each query over the channel the backend names for it, with the query as the channel data', async () => {
      const post = jest.spyOn(DataSourceWithBackend.prototype, 'postResource').mockResolvedValue({ path: 'tail/abc' });
      const frame = { refId: '', fields: [], length: 0 };
      getDataStream.mockReturnValue(of({ key: 'k', data: [frame] }));
      const request = {
        requestId: 'explore-1',
        liveStreaming: true,
        maxDataPoints: 500,
        scopedVars: {},
        targets: [
          {
            refId: 'A',
            logType: 'interactive',
            format: 'logs',
            editorMode: 'code',
            filters: [{ key: 'app', op: '=', value: '$app' }],
          },
        ],
      } as unknown as DataQueryRequest<SignInQuery>;

      const responses = await lastValueFrom(ds.query(request).pipe(toArray()));

      const contract = { logType: 'interactive', format: 'logs', filters: [{ key: 'app', op: '=', value: 'Outlook' }] };
      expect(post).toHaveBeenCalledWith('tail', expect.objectContaining(contract));
      expect(post.mock.calls[0][1]).not.toHaveProperty('refId');
      expect(post.mock.calls[0][1]).not.toHaveProperty('editorMode');
      expect(getDataStream).toHaveBeenCalledWith(
        expect.objectContaining({
          addr: { scope: 'ds', stream: 'signinlens', path: 'tail/abc', data: post.mock.calls[0][1] },
          buffer: { maxLength: 500 },
        })
      );
      expect(responses[0].data[0].refId).toBe('A');
      post.mockRestore();
    });
  });

  describe('applyTemplateVariables', () => {
    const apply = (query: Partial<SignInQuery>, scopedVars: ScopedVars = {}) =>
      ds.applyTemplateVariables({ refId: 'A', ...query }, scopedVars);

    it('expands variables in filter values, as a regex or a list where the operator takes one', () => {
      const got = apply({
        filters: [
          { key: 'app', op: '=', value: '$app' },
          { key: 'status', op: 'in', value: '$status' },
          { key: 'status', op: '=~', value: '$status' },
          { key: 'status', op: '!~', value: '^$status$' },
          { key: 'city', op: 'startsWith', value: 'Ber' },
        ],
      });
      expect(got.filters).toEqual([
        { key: 'app', op: '=', value: 'Outlook' },
        { key: 'status', op: 'in', value: 'failure,interrupted' },
        { key: 'status', op: '=~', value: '(failure|interrupted)' },
        { key: 'status', op: '!~', value: '^(failure|interrupted)$' },
        { key: 'city', op: 'startsWith', value: 'Ber' },
      ]);
    });

    it('expands variables in filter keys and uses scoped variables (repeated panels)', () => {
      const got = apply(
        { filters: [{ key: '$dim', op: '=', value: '$app' }] },
        { app: { text: 'Teams', value: 'Teams' } }
      );
      expect(got.filters).toEqual([{ key: 'browser', op: '=', value: 'Teams' }]);
    });

    it('expands a multi-value variable in groupBy into several keys, without duplicates', () => {
      expect(apply({ groupBy: ['$dims', 'app', '$dim'] }).groupBy).toEqual(['app', 'status', 'browser']);
    });

    it('leaves out filter rows that have no key yet', () => {
      expect(apply({ filters: [{ key: '', op: '=', value: 'x' }] }).filters).toEqual([]);
    });

    it('adds ad hoc filters, maps one of / not one of, and reports the rest as ignored', () => {
      const got = ds.applyTemplateVariables({ refId: 'A', filters: [] }, {}, [
        { key: 'country', operator: '=', value: 'DE' },
        { key: 'app', operator: '=~', value: 'Out.*' },
        { key: 'app', operator: '<', value: '3' },
        { key: 'country', operator: '=|', value: 'DE', values: ['DE', 'FR'] },
        { key: 'app', operator: '!=|', value: 'a.b', values: ['a.b', 'c(d)'] },
      ]);
      expect(got.filters).toEqual([
        { key: 'country', op: '=', value: 'DE' },
        { key: 'app', op: '=~', value: 'Out.*' },
        { key: 'country', op: 'in', value: 'DE,FR' },
        { key: 'app', op: '!~', value: 'a\\.b|c\\(d\\)' },
      ]);
      expect(got.ignoredFilters).toEqual(['app < 3']);
    });

    it('expands variables in the log type, metric, format and time aggregate', () => {
      const got = apply({
        logType: '$lt' as SignInQuery['logType'],
        timeAggregate: '$agg' as SignInQuery['timeAggregate'],
        format: 'grouped',
      });
      expect(got).toEqual({ refId: 'A', logType: 'nonInteractive', timeAggregate: '6h', format: 'grouped' });
    });

    it('expands the key of a variable query and keeps the rest', () => {
      const got = apply({ queryType: 'variable', key: '$dim', logType: 'all', limit: 3 });
      expect(got).toEqual({ refId: 'A', queryType: 'variable', key: 'browser', logType: 'all', limit: 3 });
    });
  });

  describe('getValues', () => {
    const range = { from: dateTime(1000), to: dateTime(2000), raw: { from: 'now-1h', to: 'now' } };

    afterEach(() => jest.restoreAllMocks());

    it('asks the values resource for a key in the time range', async () => {
      const spy = jest
        .spyOn(DataSourceWithBackend.prototype, 'getResource')
        .mockResolvedValue({ values: ['Outlook', 'Teams'] });
      await expect(ds.getValues({ key: 'app', logType: 'nonInteractive', range, prefix: 'T' })).resolves.toEqual([
        'Outlook',
        'Teams',
      ]);
      expect(spy).toHaveBeenCalledWith('values', {
        key: 'app',
        logType: 'nonInteractive',
        from: '1000',
        to: '2000',
        prefix: 'T',
      });
    });

    it('gives no suggestions when the backend fails or answers nonsense', async () => {
      jest.spyOn(DataSourceWithBackend.prototype, 'getResource').mockRejectedValueOnce(new Error('404'));
      await expect(ds.getValues({ key: 'app' })).resolves.toEqual([]);
      jest.spyOn(DataSourceWithBackend.prototype, 'getResource').mockResolvedValueOnce({ values: 'x' });
      await expect(ds.getValues({ key: 'app' })).resolves.toEqual([]);
      jest.spyOn(DataSourceWithBackend.prototype, 'getResource').mockResolvedValueOnce({ values: ['a', 3, null] });
      await expect(ds.getValues({ key: 'app' })).resolves.toEqual(['a']);
    });

    it('does not ask without a key', async () => {
      const spy = jest.spyOn(DataSourceWithBackend.prototype, 'getResource');
      await expect(ds.getValues({ key: '' })).resolves.toEqual([]);
      expect(spy).not.toHaveBeenCalled();
    });

    it('feeds ad hoc filter keys and values', async () => {
      jest.spyOn(DataSourceWithBackend.prototype, 'getResource').mockResolvedValue({ values: ['DE'] });
      const keys = await ds.getTagKeys();
      expect(keys).toContainEqual({ text: 'country', value: 'country' });
      await expect(ds.getTagValues({ key: 'country', filters: [] })).resolves.toEqual([{ text: 'DE', value: 'DE' }]);
    });
  });

  describe('variables', () => {
    it('runs variable queries through the backend as queryType variable', () => {
      const spy = jest.spyOn(ds, 'query').mockReturnValue(of({ data: [] }));
      const request = {
        targets: [{ refId: 'V', key: 'browser', logType: 'interactive' }],
      } as unknown as DataQueryRequest<SignInVariableQuery>;
      (ds.variables as unknown as { query: (r: typeof request) => unknown }).query(request);
      expect(spy.mock.calls[0][0].targets).toEqual([
        { refId: 'V', queryType: 'variable', key: 'browser', logType: 'interactive', filters: [] },
      ]);
    });
  });

  it('filters for and out of a log label from Explore, and toggles back', () => {
    const base: SignInQuery = { refId: 'A', format: 'logs', filters: [{ key: 'app', op: '=', value: 'Outlook' }] };
    const forIP = ds.toggleQueryFilter(base, {
      type: 'FILTER_FOR',
      options: { key: 'ipAddress', value: '203.0.113.7' },
    });
    expect(forIP.filters).toEqual([
      { key: 'app', op: '=', value: 'Outlook' },
      { key: 'ipAddress', op: '=', value: '203.0.113.7' },
    ]);
    expect(ds.queryHasFilter(forIP, { key: 'ipAddress', value: '203.0.113.7' })).toBe(true);
    const outIP = ds.toggleQueryFilter(forIP, {
      type: 'FILTER_OUT',
      options: { key: 'ipAddress', value: '203.0.113.7' },
    });
    expect(outIP.filters).toEqual([
      { key: 'app', op: '=', value: 'Outlook' },
      { key: 'ipAddress', op: '!=', value: '203.0.113.7' },
    ]);
    expect(
      ds.toggleQueryFilter(outIP, { type: 'FILTER_OUT', options: { key: 'ipAddress', value: '203.0.113.7' } }).filters
    ).toEqual(base.filters);
    // A list label ("a, b") filters for each of its values.
    const methods = ds.toggleQueryFilter(base, {
      type: 'FILTER_FOR',
      options: { key: 'authMethod', value: 'Mobile app notification, Password' },
    });
    expect(methods.filters?.slice(1)).toEqual([
      { key: 'authMethod', op: '=', value: 'Mobile app notification' },
      { key: 'authMethod', op: '=', value: 'Password' },
    ]);
    expect(ds.queryHasFilter(methods, { key: 'authMethod', value: 'Mobile app notification, Password' })).toBe(true);
  });

  it('starts annotation queries on Conditional Access blocks and lockouts', () => {
    expect(ds.annotations?.getDefaultQuery?.()).toEqual({
      logType: 'interactive',
      format: 'annotations',
      filters: [{ key: 'errorCode', op: 'in', value: '53003,50053' }],
      limit: 100,
    });
  });
});
