import React from 'react';
import { screen, within } from '@testing-library/react';

import { choose, findOption } from '../test/combobox';
import { renderControlled } from '../test/harness';
import { GroupByField } from './GroupByField';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ getVariables: () => [{ name: 'dim' }] }),
}));

describe('GroupByField', () => {
  const setup = (initial: string[]) =>
    renderControlled(initial, ({ value, onChange }) => <GroupByField value={value} onChange={onChange} />);

  it('shows the chosen dimensions', async () => {
    const { user } = setup(['app', 'ipAddress']);
    expect(screen.getByText('App')).toBeInTheDocument(); // the first pill; the rest fold into a count
    await user.click(screen.getByLabelText(/Group by/));
    expect(within(await findOption('App')).getByRole('checkbox')).toBeChecked();
    expect(within(await findOption('User')).getByRole('checkbox')).not.toBeChecked();
    await user.keyboard('IP'); // the list is virtualised: narrow it to reach later options
    expect(within(await findOption('IP address')).getByRole('checkbox')).toBeChecked();
  });

  it('adds picked dimensions in order', async () => {
    const { user, latest } = setup([]);
    await choose(user, screen.getByLabelText(/Group by/), 'App');
    expect(latest()).toEqual(['app']);
    await choose(user, screen.getByLabelText(/Group by/), 'Status');
    expect(latest()).toEqual(['app', 'status']);
  });

  it('offers the template variables', async () => {
    const { user, latest } = setup([]);
    await choose(user, screen.getByLabelText(/Group by/), '$dim', 'dim');
    expect(latest()).toEqual(['$dim']);
  });

  it('offers no more dimensions once three are chosen', async () => {
    const { user, changes } = setup(['app', 'status', 'browser']);
    await user.click(screen.getByLabelText(/Group by/));
    const notice = await findOption('At most 3 dimensions: remove one to add another');
    expect(getComputedStyle(notice).pointerEvents).toBe('none');
    expect(changes).toEqual([]);
    expect(screen.queryByText('Operating system')).not.toBeInTheDocument();
  });

  it('removes a dimension', async () => {
    const { user, latest } = setup(['app', 'status']);
    await user.click(screen.getByLabelText(/Group by/));
    await user.click(await findOption('App'));
    expect(latest()).toEqual(['status']);
  });
});
