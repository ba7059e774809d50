import { useEffect, useState } from 'preact/hooks';
import { ImportExport } from './options/ImportExport';
import { SyncPanel } from './sync/SyncPanel';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, type Settings } from '../lib/settings/settings';
import { useSettings } from './useSettings';

/** Options page: settings now; import and export join it later. */
export function OptionsApp() {
  // Applies the reader's theme (light, sepia, dark) to this page too.
  useSettings();
  const [settings, setSettings] = useState<Settings | undefined>();
  const [status, setStatus] = useState('');
  useEffect(() => {
    void loadSettings().then(setSettings);
  }, []);
  if (!settings) return null;
  const update = async (patch: Partial<Settings>) => {
    setSettings(await saveSettings(patch));
    setStatus('Saved');
  };
  return (
    <main class="options">
      <h1>Offprint settings</h1>
      <section aria-labelledby="feeds-heading">
        <h2 id="feeds-heading">Feeds</h2>
        <label>
          Check feeds every{' '}
          <input
            type="number"
            min={15}
            max={1440}
            value={settings.pollMinutes}
            onChange={(e) => void update({ pollMinutes: Number(e.currentTarget.value) || DEFAULT_SETTINGS.pollMinutes })}
          />{' '}
          minutes
        </label>
        <label>
          <input type="checkbox" checked={settings.notifyNewPosts} onChange={(e) => void update({ notifyNewPosts: e.currentTarget.checked })} /> Notify me of new posts
        </label>
        <label>
          <input type="checkbox" checked={settings.hideReplies} onChange={(e) => void update({ hideReplies: e.currentTarget.checked })} /> Hide author replies
        </label>
      </section>
      <section aria-labelledby="offline-heading">
        <h2 id="offline-heading">Offline</h2>
        <label>
          <input type="checkbox" checked={settings.downloadImages} onChange={(e) => void update({ downloadImages: e.currentTarget.checked })} /> Download images for offline reading
        </label>
        <label>
          Keep at most{' '}
          <input
            type="number"
            min={1}
            max={500}
            value={Math.round(settings.imageCapBytes / (1024 * 1024))}
            onChange={(e) => void update({ imageCapBytes: (Number(e.currentTarget.value) || 20) * 1024 * 1024 })}
          />{' '}
          MB of images per article
        </label>
      </section>
      <ImportExport />
      <SyncPanel />
      <p role="status" class="status">
        {status}
      </p>
    </main>
  );
}
