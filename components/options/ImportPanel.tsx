import { useEffect, useRef, useState } from 'preact/hooks';
import { describeStage, dismissJob, listJobs, markInterrupted, type JobRecord } from '../../lib/jobs/jobs';
import { refreshDuplicates } from '../../lib/io/duplicates';
import { type FileResult, type ImportStage } from '../../lib/io/import';
import { importFileAsJob } from '../../lib/io/import-job';
import { afterImport, optionsImportDeps } from './deps';

/** This page's instance, owner of the import jobs it runs. */
const PAGE_ID = crypto.randomUUID();

interface Row {
  key: number;
  name: string;
  kind?: string;
  state: 'waiting' | 'importing' | FileResult['status'];
  message: string;
  stage?: ImportStage;
  done?: number;
  total?: number;
}

const STAGE_WORDS: Record<ImportStage, string> = { reading: 'Reading', preparing: 'Preparing', saving: 'Saving' };
const FORMATS = '.json,.opml,.xml,.rss,.atom,.csv,.txt,.md,.markdown,.html,.htm,.zip';
let nextKey = 0;

/** File picker and drop zone; files import one after another, each with its own status. */
export function ImportPanel() {
  const [rows, setRows] = useState<Row[]>([]);
  const [dragging, setDragging] = useState(false);
  const [running, setRunning] = useState(false);
  const [summary, setSummary] = useState('');
  const controller = useRef<AbortController | undefined>(undefined);
  const queue = useRef<{ key: number; file: File }[]>([]);
  const picker = useRef<HTMLInputElement>(null);
  // Imports an earlier page left unfinished (closed mid-way): shown with a way to retry.
  const [interrupted, setInterrupted] = useState<JobRecord[]>([]);
  useEffect(() => {
    const db = optionsImportDeps().db;
    void markInterrupted(db, 'import', { alive: PAGE_ID, now: Date.now() })
      .then(() => listJobs(db, 'import'))
      .then((jobs) => setInterrupted(jobs.filter((j) => j.status === 'interrupted')))
      .catch(() => undefined);
  }, []);
  const dismiss = (id: string) => {
    setInterrupted((all) => all.filter((j) => j.id !== id));
    void dismissJob(optionsImportDeps().db, id);
  };

  const update = (key: number, patch: Partial<Row>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  async function run() {
    if (controller.current) return;
    const abort = new AbortController();
    controller.current = abort;
    setRunning(true);
    setSummary('');
    const deps = optionsImportDeps();
    const ids: string[] = [];
    let feeds = 0;
    let added = 0;
    let failed = 0;
    try {
      for (let item = queue.current.shift(); item; item = queue.current.shift()) {
        const { key, file } = item;
        if (abort.signal.aborted) {
          update(key, { state: 'cancelled', message: 'Cancelled before it started; nothing from this file was stored.' });
          continue;
        }
        update(key, { state: 'importing', message: '' });
        const result = await importFileAsJob(file, deps, { owner: PAGE_ID, now: deps.now, newId: deps.newId }, {
          signal: abort.signal,
          onProgress: (stage, done, total) => update(key, { stage, done, total }),
        });
        // Importing the same file again settles an interrupted attempt.
        for (const j of interrupted.filter((j) => j.label === file.name)) dismiss(j.id);
        update(key, { state: result.status, kind: result.kind, message: result.message, stage: undefined });
        ids.push(...result.ids);
        feeds += result.feedsAdded;
        added += result.added;
        if (result.status === 'failed') failed += 1;
      }
    } finally {
      controller.current = undefined;
      setRunning(false);
    }
    setSummary(`Import finished: ${added} new article${added === 1 ? '' : 's'}${feeds ? `, ${feeds} new follow${feeds === 1 ? '' : 's'}` : ''}${failed ? `, ${failed} file${failed === 1 ? '' : 's'} not imported` : ''}.`);
    if (ids.length) await refreshDuplicates(deps.db);
    // The background caches the new articles' images for offline reading.
    if (ids.length || feeds) await afterImport(ids, feeds);
  }

  function add(files: FileList | File[] | null) {
    const list = [...(files ?? [])];
    if (list.length === 0) return;
    const fresh = list.map((file) => ({ key: ++nextKey, file }));
    queue.current.push(...fresh);
    setRows((all) => [...fresh.map(({ key, file }) => ({ key, name: file.name, state: 'waiting' as const, message: 'Waiting…' })), ...all].slice(0, 50));
    void run();
  }

  return (
    <section class="io-section" aria-labelledby="import-heading">
      <h2 id="import-heading">Import</h2>
      <p class="io-hint">
        Offprint backups, OPML follows (Feedly, Inoreader, NetNewsWire), RSS/Atom/JSON Feed files, JSON posts pages, Pocket, Readwise Reader, Omnivore and wallabag exports, Markdown, plain text and saved web pages, or a zip of them.
      </p>
      {interrupted.map((job) => (
        <div key={job.id} class="io-file failed" role="alert" aria-label={`Interrupted import of ${job.label}`}>
          <p>
            The import of “{job.label}” was interrupted ({describeStage(job)}) when its page closed. Nothing from it was stored.
          </p>
          <button type="button" class="io-button" onClick={() => picker.current?.click()}>
            Retry: choose “{job.label}” again
          </button>{' '}
          <button type="button" class="io-button" onClick={() => dismiss(job.id)}>
            Dismiss
          </button>
        </div>
      ))}
      <div
        role="group"
        aria-label="Drop files to import"
        class={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          add(e.dataTransfer?.files ?? null);
        }}
      >
        <p>Drop files here, or</p>
        <label class="button">
          Choose files…
          <input
            ref={picker}
            class="visually-hidden"
            type="file"
            multiple
            accept={FORMATS}
            aria-label="Choose files to import"
            onChange={(e) => {
              add(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </label>
        {running ? (
          <button type="button" class="io-button" onClick={() => controller.current?.abort()}>
            Cancel import
          </button>
        ) : null}
      </div>
      <p role="status" class="io-hint">
        {summary}
      </p>
      {rows.length ? (
        <ul class="io-files" aria-label="Imported files">
          {rows.map((row) => (
            <li key={row.key} class={`io-file ${row.state}`} aria-label={row.name}>
              <span class="io-file-name">{row.name}</span>
              {row.kind ? <span class="io-file-kind">{row.kind}</span> : null}
              {row.state === 'importing' ? (
                <>
                  <progress aria-label={`Importing ${row.name}`} value={row.done ?? 0} max={row.total || 1} />
                  <div class="io-hint">
                    {row.stage ? `${STAGE_WORDS[row.stage]}${row.total && row.total > 1 ? ` ${row.done ?? 0} of ${row.total}` : ''}…` : 'Starting…'}
                  </div>
                </>
              ) : (
                <div role={row.state === 'failed' ? 'alert' : undefined}>{row.message}</div>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
