import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { OffprintDB } from '../../lib/db/schema';
import { collectSentences, firstSentenceFrom, ListenPlayer, type ListenState, type Sentence } from '../../lib/reader/listen';
import { loadListenPosition, saveListenPosition } from '../../lib/reader/listen-position';
import type { Settings } from '../../lib/settings/settings';

const RATES = [0.75, 1, 1.25, 1.5, 1.75, 2];
const HIGHLIGHT = 'offprint-listen';

interface Props {
  db: OffprintDB;
  articleId: string;
  lang?: string;
  body: HTMLElement | null;
  /** The element that scrolls the article; null = the window. */
  scroller: HTMLElement | null;
  settings: Settings;
  update: (patch: Partial<Settings>) => Promise<void>;
  /** Bumped by the page's "l" key to play or pause. */
  toggleTick?: number;
}

function synth(): SpeechSynthesis | undefined {
  return typeof speechSynthesis === 'undefined' ? undefined : speechSynthesis;
}

/**
 * Listen: the article read aloud by the system's voices, the sentence being
 * read marked and kept in view. Stopping remembers the sentence, so Listen
 * later goes on from there.
 */
export function ListenControls({ db, articleId, lang, body, scroller, settings, update, toggleTick = 0 }: Props) {
  const speech = synth();
  const [state, setState] = useState<ListenState>('idle');
  const [voices, setVoices] = useState<SpeechSynthesisVoice[]>(() => speech?.getVoices() ?? []);
  const player = useRef<ListenPlayer | undefined>(undefined);
  const sentences = useRef<Sentence[]>([]);
  const marked = useRef<Element | undefined>(undefined);

  useEffect(() => {
    if (!speech) return;
    const load = () => setVoices(speech.getVoices());
    speech.addEventListener?.('voiceschanged', load);
    return () => speech.removeEventListener?.('voiceschanged', load);
  }, [speech]);

  const voice = useMemo(() => voices.find((v) => v.name === settings.listenVoice), [voices, settings.listenVoice]);

  const unmark = () => {
    marked.current?.classList.remove('listening');
    marked.current = undefined;
    (globalThis as { CSS?: { highlights?: Map<string, unknown> } }).CSS?.highlights?.delete(HIGHLIGHT);
  };
  const mark = (i: number) => {
    const s = sentences.current[i];
    if (!s) return;
    unmark();
    const css = (globalThis as { CSS?: { highlights?: Map<string, unknown> } }).CSS;
    const Highlight = (globalThis as { Highlight?: new (r: Range) => unknown }).Highlight;
    if (css?.highlights && Highlight) css.highlights.set(HIGHLIGHT, new Highlight(s.range));
    s.block.classList.add('listening');
    marked.current = s.block;
    // Keep the sentence in view: scroll only when it left the middle of the view.
    const rect = s.range.getBoundingClientRect();
    const view = scroller ? scroller.getBoundingClientRect() : { top: 0, bottom: innerHeight };
    if (rect.top < view.top + 60 || rect.bottom > view.bottom - 80) s.block.scrollIntoView({ block: 'center', behavior: 'smooth' });
    void saveListenPosition(db, articleId, i);
  };

  // A new article (or body) ends what was being read.
  useEffect(
    () => () => {
      player.current?.stop();
      player.current = undefined;
      unmark();
    },
    [articleId, body],
  );

  const start = async () => {
    if (!speech || !body) return;
    if (player.current && state === 'paused') return player.current.play();
    sentences.current = collectSentences(body, { skipCode: settings.listenSkipCode, lang });
    const p = new ListenPlayer(speech, sentences.current, {
      rate: settings.listenRate,
      voice,
      lang,
      onSentence: mark,
      onState: (s) => {
        setState(s);
        if (s === 'done') {
          unmark();
          void saveListenPosition(db, articleId, undefined);
        }
      },
    });
    player.current = p;
    // Go on where Listen stopped last time, else from the first sentence on screen.
    const saved = await loadListenPosition(db, articleId);
    const top = scroller ? scroller.getBoundingClientRect().top + 40 : 40;
    p.play(saved !== undefined && saved < sentences.current.length ? saved : firstSentenceFrom(sentences.current, top));
  };
  const toggle = () => (state === 'playing' ? player.current?.pause() : void start());
  const stop = () => {
    player.current?.stop();
    player.current = undefined;
    unmark();
  };

  useEffect(() => {
    if (toggleTick) toggle();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [toggleTick]);

  if (!speech) return null;
  const active = state === 'playing' || state === 'paused';
  return (
    <div class="listen" role="group" aria-label="Listen">
      <button type="button" class="action small" aria-pressed={state === 'playing'} disabled={!body} onClick={toggle} title="Listen (l)">
        {state === 'playing' ? '❚❚ Pause' : state === 'paused' ? '▶ Resume' : '▶ Listen'}
      </button>
      {active ? (
        <>
          <label class="setting">
            <span class="sr-only">Speed</span>
            <select
              class="styled-select"
              aria-label="Speed"
              value={String(settings.listenRate)}
              onChange={(e) => {
                const rate = Number(e.currentTarget.value);
                void update({ listenRate: rate });
                player.current?.configure({ rate });
              }}
            >
              {[...new Set([...RATES, settings.listenRate])].sort((a, b) => a - b).map((r) => (
                <option key={r} value={String(r)}>
                  {r}×
                </option>
              ))}
            </select>
          </label>
          <label class="setting">
            <span class="sr-only">Voice</span>
            <select
              class="styled-select voice-select"
              aria-label="Voice"
              value={voice?.name ?? ''}
              onChange={(e) => {
                const name = e.currentTarget.value;
                void update({ listenVoice: name });
                player.current?.configure({ voice: voices.find((v) => v.name === name) });
              }}
            >
              <option value="">System voice</option>
              {voices.map((v) => (
                <option key={v.name} value={v.name}>
                  {v.name} ({v.lang}){v.localService ? '' : ' · online'}
                </option>
              ))}
            </select>
          </label>
          <label class="choice-check">
            <input type="checkbox" checked={settings.listenSkipCode} onChange={(e) => void update({ listenSkipCode: e.currentTarget.checked })} /> Skip code
          </label>
          <button type="button" class="action small" onClick={stop}>
            Stop
          </button>
        </>
      ) : null}
    </div>
  );
}
