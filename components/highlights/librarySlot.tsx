import type { SidebarSlot } from '../librarypage/slots';
import { HighlightsView } from './HighlightsView';

/** The library page's sidebar entry for issue 13's Highlights view: picking one opens its article scrolled to it. */
export const highlightsSlot: SidebarSlot = {
  id: 'highlights',
  label: 'Highlights',
  render: ({ onOpenArticle }) => <HighlightsView onOpen={(articleId, highlightId) => onOpenArticle(articleId, highlightId)} />,
};
