import React from 'react';
import { screen, waitFor } from '@testing-library/react';

import { choose, findOption } from '../test/combobox';
import { renderControlled } from '../test/harness';
import { Filter } from '../types';
import { FilterRow } from './FilterRow';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ getVariables: () => [{ name: 'dim' }] }),
}));

describe('FilterRow', () => {
  const setup = (initial: Filter, loadValues = jest.fn().mockResolvedValue([])) => {
    const onRemove = jest.fn();
    const r = renderControlled(initial, ({ value, onChange }) => (
      <FilterRow filter={value} onChange={onChange} onRemove={onRemove} loadValues={loadValues} />
    ));
    return { ...r, onRemove, loadValues };
  };

  it('shows an existing filter', () => {
    setup({ key: 'status', op: '!=', value: 'success' });
    expect(screen.getByLabelText('Filter dimension')).toHaveValue('Status');
    expect(screen.getByLabelText('Operator of Status')).toHaveValue('!=');
    expect(screen.getByLabelText('Value of Status')).toHaveValue('success');
  });

  it('builds a filter from what the user picks and types', async () => {
    const { user, latest } = setup({ key: '', op: '=', value: '' });
    await choose(user, screen.getByLabelText('Filter dimension'), 'Country or region', 'Country');
    expect(latest()).toEqual({ key: 'country', op: '=', value: '' });
    await choose(user, screen.getByLabelText('Operator of Country or region'), 'in', '');
    expect(latest()).toEqual({ key: 'country', op: 'in', value: '' });
    // "in" takes several values, each typed and kept as a custom value.
    await choose(user, screen.getByLabelText('Value of Country or region'), 'DE');
    await choose(user, screen.getByLabelText('Value of Country or region'), 'FR');
    expect(latest()).toEqual({ key: 'country', op: 'in', value: 'DE,FR' });
  });

  it('offers template variables as keys', async () => {
    const { user, latest } = setup({ key: '', op: '=', value: '' });
    await choose(user, screen.getByLabelText('Filter dimension'), '$dim', 'dim');
    expect(latest()).toEqual({ key: '$dim', op: '=', value: '' });
  });

  it('suggests values of the dimension as the user types', async () => {
    const loadValues = jest.fn().mockResolvedValue(['Teams', 'Teams Admin']);
    const { user, latest } = setup({ key: 'app', op: '=', value: '' }, loadValues);
    await user.click(screen.getByLabelText('Value of App'));
    await user.keyboard('Tea');
    await waitFor(() => expect(loadValues).toHaveBeenCalledWith('app', 'Tea'));
    await user.click(await findOption('Teams Admin'));
    expect(latest()).toEqual({ key: 'app', op: '=', value: 'Teams Admin' });
  });

  it('keeps regular expressions as free text', async () => {
    const { user, latest, loadValues } = setup({ key: 'app', op: '=~', value: '' });
    await user.type(screen.getByLabelText('Value of App'), 'Teams|Outlook');
    await user.tab();
    expect(latest()).toEqual({ key: 'app', op: '=~', value: 'Teams|Outlook' });
    expect(loadValues).not.toHaveBeenCalled();
  });

  it('asks for no suggestions before a dimension is chosen', async () => {
    const { user, loadValues } = setup({ key: '', op: '=', value: '' });
    await user.click(screen.getByLabelText('Value of new filter'));
    expect(loadValues).not.toHaveBeenCalled();
  });

  it('removes itself', async () => {
    const { user, onRemove } = setup({ key: 'app', op: '=', value: 'x' });
    await user.click(screen.getByRole('button', { name: 'Remove filter on App' }));
    expect(onRemove).toHaveBeenCalled();
  });
});
