import { changeFormat, fieldsFor, summarize, withDefaults } from './query';
import { SignInQuery } from './types';

const q = (fields: Partial<SignInQuery>): SignInQuery => ({ refId: 'A', ...fields });

describe('withDefaults', () => {
  it('fills what an old or hand-written query lacks', () => {
    expect(withDefaults(q({}))).toEqual({
      refId: 'A',
      logType: 'interactive',
      format: 'timeSeries',
      metric: 'count',
      groupBy: [],
      filters: [],
      timeAggregate: 'auto',
    });
  });

  it('keeps what is set', () => {
    const full = withDefaults(q({ logType: 'all', format: 'logs', limit: 5, groupBy: ['app'] }));
    expect(full).toMatchObject({ logType: 'all', format: 'logs', limit: 5, groupBy: ['app'] });
  });
});

describe('changeFormat', () => {
  const f = (from: Partial<SignInQuery>, to: SignInQuery['format'], want: Partial<SignInQuery>) => {
    const got = changeFormat(q(from), to!);
    expect(got).toMatchObject(want);
    return got;
  };

  it('gives each format its default limit', () => {
    f({ format: 'timeSeries' }, 'logs', { format: 'logs', limit: 100 });
    f({ format: 'logs', limit: 100 }, 'table', { format: 'table', limit: 10 });
    f({ format: 'table', limit: 10 }, 'grouped', { format: 'grouped', limit: 100 });
    expect('limit' in f({ format: 'table', limit: 10 }, 'timeSeries', { format: 'timeSeries' })).toBe(false);
  });

  it('gives the grouped view a portal window instead of auto', () => {
    f({ timeAggregate: 'auto' }, 'grouped', { timeAggregate: '1h' });
    f({}, 'grouped', { timeAggregate: '1h' });
    f({ timeAggregate: '6h' }, 'grouped', { timeAggregate: '6h' });
    f({ timeAggregate: 'auto' }, 'table', { timeAggregate: 'auto' });
  });
});

describe('fieldsFor', () => {
  it('shows per format only the fields it uses', () => {
    expect(fieldsFor('timeSeries')).toEqual({ metric: true, groupBy: true, timeAggregate: true, limit: false });
    expect(fieldsFor('table')).toEqual({ metric: true, groupBy: true, timeAggregate: false, limit: true });
    expect(fieldsFor('grouped')).toEqual({ metric: false, groupBy: false, timeAggregate: true, limit: true });
    expect(fieldsFor('logs')).toEqual({ metric: false, groupBy: false, timeAggregate: false, limit: true });
  });
});

describe('summarize', () => {
  const f = (query: Partial<SignInQuery>, want: string) => expect(summarize(q(query))).toBe(want);

  it('says in words what a query asks', () => {
    f({ metric: 'failures', groupBy: ['app'], timeAggregate: '1h' }, 'Failures of interactive sign-ins by app, per 1h');
    f({}, 'Interactive sign-ins, per panel interval');
    f(
      { logType: 'servicePrincipal', metric: 'distinctIPs', groupBy: ['servicePrincipal', 'ipAddress'] },
      'Distinct IP addresses of service principal sign-ins by service principal, IP address, per panel interval'
    );
    f(
      { format: 'table', metric: 'distinctUsers', groupBy: ['app'], limit: 5 },
      'Distinct users of interactive sign-ins by app, top 5'
    );
    f({ format: 'table', logType: 'all' }, 'All sign-ins, top 10');
    f(
      { format: 'grouped', logType: 'managedIdentity', timeAggregate: '6h' },
      'Grouped managed identity sign-ins, per 6h'
    );
    f(
      { format: 'logs', logType: 'nonInteractive', limit: 50, filters: [{ key: 'appId', op: '=', value: 'x' }] },
      'Latest 50 non-interactive sign-ins where app ID = x'
    );
    f(
      {
        filters: [
          { key: 'status', op: 'in', value: 'failure,interrupted' },
          { key: '', op: '=', value: '' },
        ],
      },
      'Interactive sign-ins where status in failure,interrupted, per panel interval'
    );
  });
});
