import { screen, within } from '@testing-library/react';

import { startsWith } from '../test/fixtures';

import { ConfigEditor } from './ConfigEditor';
import { renderConfig } from './config/testing';

/** A source's radio button: the demo API offers the same names. */
const source = (name: string) =>
  within(screen.getByRole('radiogroup', { name: 'Source' })).getByRole('radio', { name });

describe('ConfigEditor', () => {
  it('needs no credentials for the demo tenant', () => {
    renderConfig(ConfigEditor);
    const headings = () => screen.getAllByRole('heading').map((h) => h.textContent);
    expect(headings()).toEqual(['Source', 'Cache', 'Throttle and limits']);
  });

  it('asks for the Entra ID app once Microsoft Graph is chosen', async () => {
    const { user, latest } = renderConfig(ConfigEditor);
    await user.click(source('Microsoft Graph'));
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

  it('asks for the Entra ID identity and the workspace once Log Analytics is chosen', async () => {
    const { user, latest } = renderConfig(ConfigEditor);
    await user.click(source('Log Analytics workspace'));
    expect(screen.getAllByRole('heading').map((h) => h.textContent)).toEqual([
      'Source',
      'Microsoft Entra ID',
      'Advanced',
      'Cache',
      'Throttle and limits',
    ]);
    expect(screen.getByText('Log Analytics Reader')).toBeInTheDocument();
    await user.type(screen.getByLabelText(startsWith('Workspace ID')), 'f00');
    await user.type(screen.getByLabelText(/Tenant ID/), 'contoso.onmicrosoft.com');
    expect(latest().jsonData).toEqual({
      source: 'logAnalytics',
      workspaceId: 'f00',
      tenantId: 'contoso.onmicrosoft.com',
    });
  });
});
