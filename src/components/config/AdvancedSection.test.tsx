import { screen } from '@testing-library/react';

import { startsWith } from '../../test/fixtures';

import { AdvancedSection } from './AdvancedSection';
import { renderConfig } from './testing';

describe('AdvancedSection', () => {
  it("starts closed, and shows the cloud's endpoints as placeholders", async () => {
    const { user } = renderConfig(AdvancedSection, { source: 'graph', cloud: 'AzureChinaCloud' });
    await user.click(screen.getByRole('button', { name: 'Expand section Advanced' }));
    expect(screen.getByLabelText(startsWith('Microsoft Graph endpoint'))).toHaveAttribute(
      'placeholder',
      'https://microsoftgraph.chinacloudapi.cn'
    );
    expect(screen.getByLabelText(startsWith('Authority host'))).toHaveAttribute(
      'placeholder',
      'https://login.chinacloudapi.cn/'
    );
    expect(screen.getAllByText('allow_custom_endpoints = true')).toHaveLength(2);
    expect(screen.queryByLabelText(startsWith('Log Analytics endpoint'))).not.toBeInTheDocument();
  });

  it('saves overrides and a CA certificate', async () => {
    const { user, latest } = renderConfig(AdvancedSection, { source: 'graph' });
    await user.click(screen.getByRole('button', { name: 'Expand section Advanced' }));
    await user.type(screen.getByLabelText(startsWith('Microsoft Graph endpoint')), 'https://graph.proxy.example');
    await user.type(screen.getByLabelText(startsWith('Authority host')), 'https://login.proxy.example/');
    await user.type(screen.getByLabelText(startsWith('TLS CA certificate')), 'PEM');
    expect(latest().jsonData).toEqual({
      source: 'graph',
      graphEndpoint: 'https://graph.proxy.example',
      authorityHost: 'https://login.proxy.example/',
    });
    expect(latest().secureJsonData).toEqual({ tlsCACert: 'PEM' });
  });

  it('starts open when a CA certificate is saved', () => {
    renderConfig(AdvancedSection, {}, { tlsCACert: true });
    expect(screen.getByRole('button', { name: 'Reset' })).toBeInTheDocument();
  });

  it('removes an emptied override', async () => {
    const { user, latest } = renderConfig(AdvancedSection, { graphEndpoint: 'https://x' });
    await user.clear(screen.getByLabelText(startsWith('Microsoft Graph endpoint')));
    expect(latest().jsonData.graphEndpoint).toBeUndefined();
  });

  it("shows the Log Analytics endpoint instead of Graph's for a workspace", async () => {
    const { user } = renderConfig(AdvancedSection, { source: 'logAnalytics', cloud: 'AzureUSGovernment' });
    await user.click(screen.getByRole('button', { name: 'Expand section Advanced' }));
    expect(screen.getByLabelText(startsWith('Log Analytics endpoint'))).toHaveAttribute(
      'placeholder',
      'https://api.loganalytics.us'
    );
    expect(screen.getByLabelText(startsWith('Authority host'))).toHaveAttribute(
      'placeholder',
      'https://login.microsoftonline.us/'
    );
    expect(screen.queryByLabelText(startsWith('Microsoft Graph endpoint'))).not.toBeInTheDocument();
    expect(screen.getAllByText('allow_custom_endpoints = true')).toHaveLength(2);
  });

  it('saves a Log Analytics endpoint override', async () => {
    const { user, latest } = renderConfig(AdvancedSection, { source: 'logAnalytics' });
    await user.click(screen.getByRole('button', { name: 'Expand section Advanced' }));
    expect(screen.getByLabelText(startsWith('Log Analytics endpoint'))).toHaveAttribute(
      'placeholder',
      'https://api.loganalytics.io'
    );
    await user.type(screen.getByLabelText(startsWith('Log Analytics endpoint')), 'https://la.proxy.example');
    await user.type(screen.getByLabelText(startsWith('Authority host')), 'https://login.proxy.example/');
    expect(latest().jsonData).toEqual({
      source: 'logAnalytics',
      logAnalyticsEndpoint: 'https://la.proxy.example',
      authorityHost: 'https://login.proxy.example/',
    });
  });

  it("starts open when the source's endpoint is overridden, not the other source's", () => {
    renderConfig(AdvancedSection, { source: 'logAnalytics', logAnalyticsEndpoint: 'https://la' });
    expect(screen.getByLabelText(startsWith('Log Analytics endpoint'))).toHaveValue('https://la');
    renderConfig(AdvancedSection, { source: 'logAnalytics', graphEndpoint: 'https://graph' });
    expect(screen.getAllByRole('button', { name: 'Expand section Advanced' })).toHaveLength(1);
  });
});
