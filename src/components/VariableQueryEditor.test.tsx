import React, { useState } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { choose } from '../test/combobox';
import { makeDataSource } from '../test/fixtures';
import { SignInVariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

function setup(initial: unknown) {
  const { datasource, getValues } = makeDataSource(['Chrome']);
  const changes: SignInVariableQuery[] = [];
  function Harness() {
    const [query, setQuery] = useState(initial as SignInVariableQuery);
    return (
      <VariableQueryEditor
        datasource={datasource}
        query={query}
        onRunQuery={jest.fn()}
        onChange={(q) => {
          changes.push(q);
          setQuery(q);
        }}
      />
    );
  }
  render(<Harness />);
  return { user: userEvent.setup({ delay: null }), getValues, latest: () => changes[changes.length - 1] };
}

describe('VariableQueryEditor', () => {
  it('starts a new variable on the apps of all log types', () => {
    setup({ refId: 'A' });
    expect(screen.getByLabelText('Dimension')).toHaveValue('App');
    expect(screen.getByLabelText('Log type')).toHaveValue('All');
  });

  it('renders an existing variable query', () => {
    setup({
      refId: 'A',
      queryType: 'variable',
      key: 'browser',
      logType: 'interactive',
      filters: [{ key: 'os', op: '=~', value: 'Windows.*' }],
    });
    expect(screen.getByLabelText('Dimension')).toHaveValue('Browser');
    expect(screen.getByLabelText('Log type')).toHaveValue('Interactive');
    expect(screen.getByLabelText('Value of Operating system')).toHaveValue('Windows.*');
  });

  it('reads a hand-typed string query as a dimension', () => {
    setup('country');
    expect(screen.getByLabelText('Dimension')).toHaveValue('Country or region');
  });

  it('builds the variable query from what the user picks', async () => {
    const { user, latest, getValues } = setup({ refId: 'A' });
    await choose(user, screen.getByLabelText('Dimension'), 'Browser');
    expect(latest()).toEqual({ refId: 'A', queryType: 'variable', key: 'browser', logType: 'all', filters: [] });

    await choose(user, screen.getByLabelText('Log type'), 'Non-interactive', 'Non');
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    expect(screen.queryByRole('button', { name: 'Add filter' })).not.toBeInTheDocument(); // one filter at most
    await choose(user, screen.getByLabelText('Filter dimension'), 'Status');
    await user.type(screen.getByLabelText('Value of Status'), 'success');
    await user.tab();

    // Suggestions follow what was typed (the Combobox asks, debounced: on a
    // loaded machine after the tab).
    await waitFor(() =>
      expect(getValues).toHaveBeenCalledWith(
        expect.objectContaining({ key: 'status', logType: 'nonInteractive', prefix: 'success' })
      )
    );
    expect(latest()).toEqual({
      refId: 'A',
      queryType: 'variable',
      key: 'browser',
      logType: 'nonInteractive',
      filters: [{ key: 'status', op: '=', value: 'success' }],
    });
  });
});
