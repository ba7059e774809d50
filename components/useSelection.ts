import { useState } from 'preact/hooks';

/** The set of checked article ids in a list (popup and library page alike). */
export function useSelection() {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggleSelect = (article: { id: string }, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(article.id);
      else next.delete(article.id);
      return next;
    });
  const clearSelection = () => setSelected(new Set());
  return { selected, toggleSelect, clearSelection };
}
