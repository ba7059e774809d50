import { useCallback, useState } from 'preact/hooks';
import { getDb } from '../lib/db/schema';
import type { Article } from '../lib/db/types';
import { neighbors } from '../lib/library/actions';
import { act } from './library/act';
import { KeyHelp } from './library/KeyHelp';
import { UndoToast, type Undoable } from './library/UndoToast';
import { ReaderPane } from './reader/ReaderPane';
import { SearchBox } from './search/SearchBox';
import { useLiveQuery } from './useLiveQuery';

/** The full-tab reader page: reader.html?id=<article id>. */
export function ReaderApp({ id: initialId }: { id: string | null }) {
  const db = getDb();
  const [id, setId] = useState(initialId);
  const [article, setArticle] = useState<Article | undefined>();
  const near = useLiveQuery(() => (article ? neighbors(db, article) : Promise.resolve({})), [article?.id, article?.box, article?.sortAt]);
  const [help, setHelp] = useState(false);
  const [undo, setUndo] = useState<Undoable | undefined>();
  const clearUndo = useCallback(() => setUndo(undefined), []);
  if (article) document.title = `${article.title} · Offprint`;

  /** Set when the article was opened from a search: its matched words are marked and scrolled to. */
  const [matchTerms, setMatchTerms] = useState<string[] | undefined>();
  const open = (to: string, terms?: string[]) => {
    setMatchTerms(terms);
    setId(to);
    history.replaceState(null, '', `?id=${encodeURIComponent(to)}`);
  };
  const onDeleted = (a: Article) => setUndo({ message: 'Article deleted.', undo: () => void act(db, [a.id], { kind: 'restore' }) });
  const { prev, next } = (near.value ?? {}) as { prev?: Article; next?: Article };
  return (
    <div class="reader">
      <ReaderPane
        id={id}
        scroller={null}
        prev={prev}
        next={next}
        onGo={(a) => open(a.id)}
        onDeleted={onDeleted}
        onHelp={() => setHelp(true)}
        help={help}
        emptyText="No article chosen. Open one from the Offprint popup."
        onArticle={setArticle}
        highlightsOpen
        matchTerms={matchTerms}
        below={
          <div class="reader-search">
            <SearchBox onOpen={open} clearOnOpen />
          </div>
        }
      />
      <UndoToast item={undo} onDone={clearUndo} />
      {help ? <KeyHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
