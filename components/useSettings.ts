import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, loadSettings, normalizeSettings, saveSettings, settingsItem, type FontFamily, type Settings } from '../lib/settings/settings';

const FONT_STACKS: Record<FontFamily, string> = {
  serif: "Charter, 'Bitstream Charter', 'Sitka Text', Cambria, Georgia, serif",
  sans: "'Inter', 'Source Sans 3', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  system: "system-ui, -apple-system, 'Segoe UI', sans-serif",
};

const THEME_CACHE = 'offprint:theme';

// Settings load asynchronously; the last theme, kept in localStorage, is put
// on the page at once so a dark popup does not flash light first.
try {
  const cached = localStorage.getItem(THEME_CACHE);
  if (cached && cached !== 'system') document.documentElement.dataset.theme = cached;
} catch {
  // No localStorage (tests, locked-down profiles): the async load still applies the theme.
}

/** Puts the reading settings on <html>: theme attribute and CSS variables. */
export function applySettings(s: Settings, root: HTMLElement = document.documentElement): void {
  if (s.theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = s.theme;
  try {
    localStorage.setItem(THEME_CACHE, s.theme);
  } catch {
    // Only a cache.
  }
  root.style.setProperty('--reader-size', `${s.fontSize}px`);
  root.style.setProperty('--reader-width', `${s.lineWidth}ch`);
  root.style.setProperty('--reader-font', FONT_STACKS[s.fontFamily]);
}

/**
 * The current settings, applied to the page and kept in sync with changes
 * made in any other extension page. `update` saves and remembers them.
 */
export function useSettings(): { settings: Settings; loaded: boolean; update: (patch: Partial<Settings>) => Promise<void> } {
  const [state, setState] = useState<{ settings: Settings; loaded: boolean }>({ settings: DEFAULT_SETTINGS, loaded: false });
  useEffect(() => {
    let live = true;
    void loadSettings().then((s) => {
      if (!live) return;
      applySettings(s);
      setState({ settings: s, loaded: true });
    });
    const unwatch = settingsItem.watch((raw) => {
      const s = normalizeSettings(raw);
      applySettings(s);
      setState({ settings: s, loaded: true });
    });
    return () => {
      live = false;
      unwatch();
    };
  }, []);
  const update = async (patch: Partial<Settings>) => {
    const s = await saveSettings(patch);
    applySettings(s);
    setState({ settings: s, loaded: true });
  };
  return { ...state, update };
}
