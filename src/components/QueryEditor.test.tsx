import React, { useState } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { makeDataSource } from '../test/fixtures';
import { choose, findOption } from '../test/combobox';
import { SignInQuery } from '../types';
import { QueryEditor } from './QueryEditor';

// Monaco does not run in jsdom: a textarea stands in for Grafana's CodeEditor.
jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  CodeEditor: ({ value }: { value: string }) => <textarea aria-label="Query JSON editor" defaultValue={value} />,
}));

function setup(initial: SignInQuery, values: string[] = []) {
  const { datasource, getValues } = makeDataSource(values);
  const onRunQuery = jest.fn();
  const changes: SignInQuery[] = [];
  function Harness() {
    const [query, setQuery] = useState(initial);
    return (
      <QueryEditor
        datasource={datasource}
        query={query}
        onRunQuery={onRunQuery}
        onChange={(q) => {
          changes.push(q);
          setQuery(q);
        }}
      />
    );
  }
  render(<Harness />);
  return {
    user: userEvent.setup({ delay: null }),
    onRunQuery,
    getValues,
    changes,
    latest: () => changes[changes.length - 1],
  };
}

const summary = () => screen.getByTestId('query-summary').textContent;

describe('QueryEditor', () => {
  it('renders an existing query into its fields', () => {
    setup({
      refId: 'A',
      logType: 'nonInteractive',
      format: 'table',
      metric: 'distinctUsers',
      groupBy: ['app'],
      filters: [{ key: 'status', op: '=', value: 'failure' }],
      limit: 5,
    });
    expect(screen.getByLabelText('Log type')).toHaveValue('Non-interactive');
    expect(screen.getByRole('radio', { name: 'Table' })).toBeChecked();
    expect(screen.getByLabelText('Metric')).toHaveValue('Distinct users');
    expect(screen.getByText('App')).toBeInTheDocument();
    expect(screen.getByLabelText('Value of Status')).toHaveValue('failure');
    expect(screen.getByLabelText('Limit')).toHaveValue(5);
    expect(screen.queryByText('Time aggregate')).not.toBeInTheDocument(); // a table has one row per group
    expect(summary()).toBe('Distinct users of non-interactive sign-ins by app where status = failure, top 5');
  });

  it('fills the defaults into a query that lacks them', () => {
    setup({ refId: 'A' });
    expect(screen.getByLabelText('Log type')).toHaveValue('Interactive');
    expect(screen.getByRole('radio', { name: 'Time series' })).toBeChecked();
    expect(screen.getByLabelText('Metric')).toHaveValue('Sign-ins');
    expect(screen.getByRole('radio', { name: 'Auto' })).toBeChecked();
    expect(screen.queryByLabelText('Limit')).not.toBeInTheDocument();
    expect(summary()).toBe('Interactive sign-ins, per panel interval');
  });

  it('turns picks into the query JSON and runs it after each', async () => {
    const { user, latest, onRunQuery } = setup({ refId: 'A' });

    await choose(user, screen.getByLabelText('Log type'), 'Service principal', 'Serv');
    await choose(user, screen.getByLabelText('Metric'), 'Failures', 'Fail');
    await choose(user, screen.getByLabelText(/Group by/), 'Service principal', 'Service p');
    await user.click(screen.getByRole('radio', { name: '1h' }));

    expect(latest()).toEqual({
      refId: 'A',
      logType: 'servicePrincipal',
      format: 'timeSeries',
      metric: 'failures',
      groupBy: ['servicePrincipal'],
      filters: [],
      timeAggregate: '1h',
    });
    expect(onRunQuery).toHaveBeenCalledTimes(4);
    expect(summary()).toBe('Failures of service principal sign-ins by service principal, per 1h');
  });

  it('gives logs a limit of 100 and tables 10, and runs a typed limit on blur only', async () => {
    const { user, latest, onRunQuery } = setup({ refId: 'A' });

    await user.click(screen.getByRole('radio', { name: 'Logs' }));
    expect(latest()).toMatchObject({ format: 'logs', limit: 100 });
    expect(screen.queryByLabelText('Metric')).not.toBeInTheDocument();
    expect(screen.queryByText('Group by')).not.toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Table' }));
    expect(latest()).toMatchObject({ format: 'table', limit: 10 });
    expect(onRunQuery).toHaveBeenCalledTimes(2);

    const limit = screen.getByLabelText('Limit');
    await user.clear(limit);
    await user.type(limit, '25');
    expect(onRunQuery).toHaveBeenCalledTimes(2);
    await user.tab();
    expect(latest()).toMatchObject({ format: 'table', limit: 25 });
    expect(onRunQuery).toHaveBeenCalledTimes(3);
  });

  it('switches the grouped view from auto to a portal window', async () => {
    const { user, latest } = setup({ refId: 'A', timeAggregate: 'auto' });
    await user.click(screen.getByRole('radio', { name: 'Grouped' }));
    expect(latest()).toMatchObject({ format: 'grouped', timeAggregate: '1h', limit: 100 });
    expect(screen.queryByRole('radio', { name: 'Auto' })).not.toBeInTheDocument();
    expect(summary()).toBe('Grouped interactive sign-ins, per 1h');
  });

  it('adds a filter and suggests values for its log type and time range', async () => {
    const { user, latest, onRunQuery, getValues } = setup({ refId: 'A', logType: 'managedIdentity' }, ['vm-1']);

    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    expect(onRunQuery).not.toHaveBeenCalled();
    await choose(user, screen.getByLabelText('Filter dimension'), 'Managed identity');
    await user.click(screen.getByLabelText('Value of Managed identity'));
    await user.keyboard('vm');
    // Suggestions follow what is typed (debounced): the backend lists values with that prefix.
    await waitFor(() =>
      expect(getValues).toHaveBeenCalledWith({ key: 'managedIdentity', logType: 'managedIdentity', prefix: 'vm' })
    );
    await user.click(await findOption('vm-1'));

    expect(latest().filters).toEqual([{ key: 'managedIdentity', op: '=', value: 'vm-1' }]);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(summary()).toBe('Managed identity sign-ins where managed identity = vm-1, per panel interval');
  });

  it('switches to code mode and back, keeping the query', async () => {
    const { user, latest } = setup({ refId: 'A', logType: 'all', format: 'table', metric: 'count' });
    await user.click(screen.getByRole('radio', { name: 'Code' }));
    expect(latest()).toEqual({ refId: 'A', logType: 'all', format: 'table', metric: 'count', editorMode: 'code' });
    expect(screen.getByText('Query JSON')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Builder' }));
    expect(latest().editorMode).toBe('builder');
    expect(screen.getByLabelText('Log type')).toHaveValue('All');
  });

  it("shows a grouped row's narrowing and lets it go", async () => {
    const { user, latest } = setup({
      refId: 'A',
      format: 'logs',
      timeFrom: '2026-03-02T00:00:00Z',
      timeTo: '2026-03-02T01:00:00Z',
    });
    expect(screen.getByTestId('query-narrowing')).toHaveTextContent(
      'Narrowed to 2026-03-02T00:00:00Z – 2026-03-02T01:00:00Z'
    );
    await user.click(screen.getByRole('button', { name: 'Use the whole range' }));
    expect(latest().timeFrom).toBeUndefined();
    expect(latest().timeTo).toBeUndefined();
    expect(screen.queryByTestId('query-narrowing')).not.toBeInTheDocument();
  });
});
