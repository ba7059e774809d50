/** The library page's keys, by where the reader is: "?" lists the set that works there. */
export const LIBRARY_LIST_KEYS: [string, string][] = [
  ['j / k', 'Next / previous article in the list'],
  ['Enter', 'Read the article'],
  ['x', 'Select or unselect the article'],
  ['s', 'Star or unstar'],
  ['e', 'Archive or unarchive'],
  ['m', 'Mark read or unread'],
  ['#', 'Delete (with undo)'],
  ['/', 'Search'],
  ['Ctrl/⌘ K', 'Go to a feed, folder, tag, saved view or box'],
  ['Esc', 'Clear the selection'],
  ['?', 'Show these keys'],
];

export const LIBRARY_READER_KEYS: [string, string][] = [
  ['j / k', 'Read the next / previous article'],
  ['s', 'Star or unstar this article'],
  ['e', 'Archive or unarchive, then the next article'],
  ['m', 'Mark read or unread'],
  ['#', 'Delete (with undo), then the next article'],
  ['h', 'Highlight the selected text'],
  ['l', 'Listen: play or pause'],
  ['/', 'Search'],
  ['Ctrl/⌘ K', 'Go to a feed, folder, tag, saved view or box'],
  ['Esc', 'Back to the list'],
  ['?', 'Show these keys'],
];
