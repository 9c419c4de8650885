import React from 'react';
import { screen } from '@testing-library/react';

import { choose } from '../test/combobox';
import { renderControlled } from '../test/harness';
import { Filter } from '../types';
import { FiltersField } from './FiltersField';

type Change = { filters: Filter[]; run: boolean };

describe('FiltersField', () => {
  const setup = (filters: Filter[], max?: number) =>
    renderControlled<Change>({ filters, run: false }, ({ value, onChange }) => (
      <FiltersField
        filters={value.filters}
        max={max}
        loadValues={jest.fn().mockResolvedValue([])}
        onChange={(f, run) => onChange({ filters: f, run })}
      />
    ));

  it('adds a row without running the query, and runs it once the row is complete', async () => {
    const { user, changes, latest } = setup([]);
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    expect(latest()).toEqual({ filters: [{ key: '', op: '=', value: '' }], run: false });

    await choose(user, screen.getByLabelText('Filter dimension'), 'Status');
    expect(latest()).toEqual({ filters: [{ key: 'status', op: '=', value: '' }], run: false });

    await user.type(screen.getByLabelText('Value of Status'), 'failure');
    expect(changes).toHaveLength(2); // nothing while typing
    await user.tab();
    expect(latest()).toEqual({ filters: [{ key: 'status', op: '=', value: 'failure' }], run: true });
  });

  it('removes a row and runs the query when the row counted', async () => {
    const { user, latest } = setup([
      { key: 'app', op: '=', value: 'Outlook' },
      { key: 'status', op: '=', value: 'failure' },
    ]);
    await user.click(screen.getByRole('button', { name: 'Remove filter on App' }));
    expect(latest()).toEqual({ filters: [{ key: 'status', op: '=', value: 'failure' }], run: true });
  });

  it('removes an unfinished row without running the query', async () => {
    const { user, latest } = setup([{ key: '', op: '=', value: '' }]);
    await user.click(screen.getByRole('button', { name: 'Remove filter on new filter' }));
    expect(latest()).toEqual({ filters: [], run: false });
  });

  it('offers no more rows than allowed', () => {
    setup([{ key: 'app', op: '=', value: 'x' }], 1);
    expect(screen.queryByRole('button', { name: 'Add filter' })).not.toBeInTheDocument();
  });
});
