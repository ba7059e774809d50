import type { FontFamily, Settings, Theme } from '../../lib/settings/settings';

const THEMES: [Theme, string][] = [
  ['system', 'System'],
  ['light', 'Light'],
  ['sepia', 'Sepia'],
  ['dark', 'Dark'],
];
const FONTS: [FontFamily, string][] = [
  ['serif', 'Serif'],
  ['sans', 'Sans-serif'],
  ['system', 'System font'],
];
const WIDTHS: [number, string][] = [
  [56, 'Narrow'],
  [68, 'Medium'],
  [84, 'Wide'],
];

/** Theme, font size, line width and font family; saved, so every article opens the same way. */
export function ReaderSettings({ settings, update }: { settings: Settings; update: (patch: Partial<Settings>) => Promise<void> }) {
  return (
    <div class="reader-settings" role="group" aria-label="Reading settings">
      <fieldset>
        <legend>Theme</legend>
        <span class="segmented">
          {THEMES.map(([value, label]) => (
            <label key={value} class="choice">
              <input type="radio" name="theme" value={value} checked={settings.theme === value} onChange={() => void update({ theme: value })} />
              {label}
            </label>
          ))}
        </span>
      </fieldset>
      <fieldset>
        <legend>Text size</legend>
        <button type="button" class="action small" aria-label="Smaller text" onClick={() => void update({ fontSize: settings.fontSize - 1 })}>
          A−
        </button>
        <output aria-label="Text size">{settings.fontSize}px</output>
        <button type="button" class="action small" aria-label="Larger text" onClick={() => void update({ fontSize: settings.fontSize + 1 })}>
          A+
        </button>
      </fieldset>
      <label class="setting">
        Line width
        <select value={String(settings.lineWidth)} onChange={(e) => void update({ lineWidth: Number(e.currentTarget.value) })}>
          {[...WIDTHS, ...(WIDTHS.some(([w]) => w === settings.lineWidth) ? [] : [[settings.lineWidth, `${settings.lineWidth} characters`] as [number, string]])].map(([w, label]) => (
            <option key={w} value={String(w)}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label class="setting">
        Font
        <select value={settings.fontFamily} onChange={(e) => void update({ fontFamily: e.currentTarget.value as FontFamily })}>
          {FONTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
