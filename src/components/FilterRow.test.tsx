import React from 'react';
import { screen, waitFor } from '@testing-library/react';

import { choose } from '../test/combobox';
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
    await user.type(screen.getByLabelText('Value of Country or region'), 'DE,FR');
    await user.tab();
    expect(latest()).toEqual({ key: 'country', op: 'in', value: 'DE,FR' });
  });

  it('offers template variables as keys', async () => {
    const { user, latest } = setup({ key: '', op: '=', value: '' });
    await choose(user, screen.getByLabelText('Filter dimension'), '$dim', 'dim');
    expect(latest()).toEqual({ key: '$dim', op: '=', value: '' });
  });

  it('suggests values of the dimension when the value field gets focus', async () => {
    const loadValues = jest.fn().mockResolvedValue(['Outlook', 'Teams']);
    const { user } = setup({ key: 'app', op: '=', value: 'T' }, loadValues);
    await user.click(screen.getByLabelText('Value of App'));
    expect(loadValues).toHaveBeenCalledWith('app', 'T');
    const list = document.getElementById(screen.getByLabelText('Value of App').getAttribute('list')!)!;
    await waitFor(() =>
      expect(Array.from(list.querySelectorAll('option')).map((o) => o.value)).toEqual(['Outlook', 'Teams'])
    );
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
