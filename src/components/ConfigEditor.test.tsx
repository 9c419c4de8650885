import { screen } from '@testing-library/react';

import { startsWith } from '../test/fixtures';

import { ConfigEditor } from './ConfigEditor';
import { renderConfig } from './config/testing';

describe('ConfigEditor', () => {
  it('needs no credentials for the demo tenant', () => {
    renderConfig(ConfigEditor);
    const headings = () => screen.getAllByRole('heading').map((h) => h.textContent);
    expect(headings()).toEqual(['Source', 'Cache', 'Throttle and limits']);
  });

  it('asks for the Entra ID app once Microsoft Graph is chosen', async () => {
    const { user, latest } = renderConfig(ConfigEditor);
    await user.click(screen.getByRole('radio', { name: 'Microsoft Graph' }));
    expect(screen.getAllByRole('heading').map((h) => h.textContent)).toEqual([
      'Source',
      'Microsoft Entra ID',
      'Advanced',
      'Cache',
      'Throttle and limits',
    ]);
    await user.type(screen.getByLabelText(/Tenant ID/), 'contoso.onmicrosoft.com');
    expect(latest().jsonData).toEqual({ source: 'graph', tenantId: 'contoso.onmicrosoft.com' });
  });

  it('opens the collapsed sections on request', async () => {
    const { user } = renderConfig(ConfigEditor);
    expect(screen.queryByLabelText(startsWith('Requests per window'))).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Expand section Throttle and limits' }));
    expect(screen.getByLabelText(startsWith('Requests per window'))).toBeInTheDocument();
  });
});
