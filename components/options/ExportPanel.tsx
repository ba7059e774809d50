import { useState } from 'preact/hooks';
import { getDb } from '../../lib/db/schema';
import { createBackup, serializeBackup } from '../../lib/io/backup';
import { allExportableIds, exportArticles, visibleArticles, type ArticleFormat } from '../../lib/io/export';
import { feedsToOpml } from '../../lib/io/follows';
import { exportAllHighlights } from '../../lib/io/highlights';
import { serializeOpml } from '../../lib/io/opml';
import { loadSettings } from '../../lib/settings/settings';
import { useLiveQuery } from '../useLiveQuery';
import { pageSanitizer } from './deps';
import { downloadFile, today } from './download';

const SHOWN = 200;

/** Backups, follows as OPML, and articles as Markdown or HTML (a zip when several). */
export function ExportPanel() {
  const db = getDb();
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [withImages, setWithImages] = useState(false);
  const [format, setFormat] = useState<ArticleFormat>('markdown');
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const { value: articles } = useLiveQuery(() => visibleArticles(db), []);
  const needle = filter.trim().toLowerCase();
  const matching = (articles ?? []).filter((a) => !needle || a.title.toLowerCase().includes(needle) || (a.author ?? '').toLowerCase().includes(needle));

  async function task(label: string, fn: () => Promise<string>) {
    setBusy(true);
    setStatus(`${label}…`);
    try {
      setStatus(await fn());
    } catch (err) {
      setStatus(`${label} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  }

  const backup = () =>
    task('Preparing the backup', async () => {
      const data = await createBackup(db, { includeImages: withImages, settings: await loadSettings() });
      downloadFile(`offprint-backup-${today()}${withImages ? '-with-images' : ''}.json`, 'application/json', serializeBackup(data));
      return `Backup downloaded: ${data.articles.length} articles, ${data.feeds.length} follows${withImages ? `, ${data.images?.length ?? 0} images` : ''}.`;
    });

  const opml = () =>
    task('Exporting follows', async () => {
      const feeds = (await db.feeds.toArray()).sort((a, b) => a.title.localeCompare(b.title));
      if (feeds.length === 0) return 'You follow no feeds yet, so there is nothing to export.';
      downloadFile(`offprint-follows-${today()}.opml`, 'text/x-opml', serializeOpml(feedsToOpml(feeds)));
      return `Exported ${feeds.length} follow${feeds.length === 1 ? '' : 's'} as OPML.`;
    });

  const articlesExport = (ids: string[]) =>
    task('Exporting articles', async () => {
      const file = await exportArticles(db, ids, format, { doc: document, sanitize: pageSanitizer() });
      downloadFile(file.name, file.type, file.data);
      return `Exported ${ids.length} article${ids.length === 1 ? '' : 's'} as ${file.name}.`;
    });

  const highlightsExport = () =>
    task('Exporting highlights', async () => {
      const file = await exportAllHighlights(db);
      downloadFile(file.name, 'application/zip', file.data);
      return `Exported ${file.highlights} highlight${file.highlights === 1 ? '' : 's'} from ${file.articles} article${file.articles === 1 ? '' : 's'} as ${file.name}.`;
    });

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <section class="io-section" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <h3>Full backup</h3>
      <p class="io-hint">Every article with its text, reading state, tags and stars, your follows and settings, in one file you can restore here.</p>
      <label>
        <input type="checkbox" checked={withImages} onChange={(e) => setWithImages(e.currentTarget.checked)} /> Include images (a much larger file)
      </label>
      <div class="io-row">
        <button type="button" class="io-button primary" disabled={busy} onClick={() => void backup()}>
          Download backup
        </button>
        <button type="button" class="io-button" disabled={busy} onClick={() => void opml()}>
          Export follows as OPML
        </button>
      </div>

      <h3>Highlights and notes</h3>
      <p class="io-hint">One Markdown file per article with its highlights as quotes and your notes under them, in a zip (Obsidian and Logseq read these). Markdown exports of articles below include them too.</p>
      <div class="io-row">
        <button type="button" class="io-button" disabled={busy} onClick={() => void highlightsExport()}>
          Download highlights (zip)
        </button>
      </div>

      <h3>Articles</h3>
      <fieldset class="io-row" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend class="visually-hidden">Article format</legend>
        <label>
          <input type="radio" name="export-format" checked={format === 'markdown'} onChange={() => setFormat('markdown')} /> Markdown
        </label>
        <label>
          <input type="radio" name="export-format" checked={format === 'html'} onChange={() => setFormat('html')} /> HTML
        </label>
      </fieldset>
      <input class="io-filter" type="search" placeholder="Filter by title or author" aria-label="Filter articles to export" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      <div class="io-pick" role="group" aria-label="Articles to export">
        {matching.length === 0 ? <p class="io-hint">{articles?.length ? 'No article matches.' : 'Your library is empty.'}</p> : null}
        {matching.slice(0, SHOWN).map((a) => (
          <label key={a.id}>
            <input type="checkbox" checked={selected.has(a.id)} onChange={(e) => toggle(a.id, e.currentTarget.checked)} /> {a.title}
          </label>
        ))}
        {matching.length > SHOWN ? <p class="io-hint">{matching.length - SHOWN} more; filter to find them.</p> : null}
      </div>
      <div class="io-row">
        <button type="button" class="io-button" disabled={busy || matching.length === 0} onClick={() => setSelected(new Set(matching.slice(0, SHOWN).map((a) => a.id)))}>
          Select shown
        </button>
        <button type="button" class="io-button" disabled={busy || selected.size === 0} onClick={() => setSelected(new Set())}>
          Clear selection
        </button>
        <button type="button" class="io-button primary" disabled={busy || selected.size === 0} onClick={() => void articlesExport([...selected])}>
          Export selected ({selected.size})
        </button>
        <button type="button" class="io-button" disabled={busy || !articles?.length} onClick={() => void allExportableIds(db).then(articlesExport)}>
          Export all
        </button>
      </div>
      <p role="status" class="io-hint">
        {status}
      </p>
    </section>
  );
}
