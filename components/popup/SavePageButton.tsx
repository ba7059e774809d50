/** "Save this page": clips the active tab (issue #4 fills this in). */
export function SavePageButton() {
  return null;
}
