/** The library search box (issue #6 fills this in). */
export function SearchBox() {
  return null;
}
