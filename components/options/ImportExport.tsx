/** Import and export on the options page (issue #7 fills this in). */
export function ImportExport() {
  return null;
}
