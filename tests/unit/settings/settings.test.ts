import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, loadSettings, normalizeSettings, saveSettings } from '../../../lib/settings/settings';

describe('settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('falls back to defaults when nothing is stored', async () => {
    expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('clamps and repairs invalid values, keeping valid ones', () => {
    expect(normalizeSettings({ pollMinutes: 1, theme: 'neon', fontSize: 20, notifyNewPosts: 'yes' })).toEqual({
      ...DEFAULT_SETTINGS,
      pollMinutes: 15,
      fontSize: 20,
    });
    expect(normalizeSettings(null)).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps Listen settings in range (speed 0.5–3, a voice name, skip code)', () => {
    expect(normalizeSettings({ listenRate: 1.25, listenVoice: 'Alex', listenSkipCode: false })).toMatchObject({ listenRate: 1.25, listenVoice: 'Alex', listenSkipCode: false });
    expect(normalizeSettings({ listenRate: 9, listenVoice: 3, listenSkipCode: 'no' })).toMatchObject({ listenRate: 3, listenVoice: '', listenSkipCode: true });
    expect(normalizeSettings({ listenRate: 0.1 }).listenRate).toBe(0.5);
  });

  it('saves a patch and reads it back', async () => {
    await saveSettings({ theme: 'sepia', pollMinutes: 5000 });
    expect(await loadSettings()).toMatchObject({ theme: 'sepia', pollMinutes: 1440 });
  });
});
